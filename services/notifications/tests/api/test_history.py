"""/notifications: a patient's notification history; /notifications/{id}."""
import uuid

import pytest

from carebridge.testing import assert_problem
from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import audit_since, notifications, runtime_settings_for


@pytest.fixture
def runtime_settings(tmp_path, smtp_server):
    return runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port))


@pytest.fixture
def booked(runtime, world, smtp_server):
    news = world.booked()
    world.deliver(news)
    smtp_server.refuse["family@example.org"] = "550 5.1.1 No such user"
    send_due_deliveries(runtime)
    return news


class TestPatientHistory:
    def test_shows_who_was_told_what_when_and_how_each_channel_went(self, client, auth, runtime, world, booked):
        response = client.get(f"/notifications?patient_id={world.patient}", headers=auth())
        assert response.status_code == 200
        page = response.get_json()
        by_recipient = {item["recipient_type"]: item for item in page["items"]}
        assert set(by_recipient) == {"patient", "related-person"} and page["total"] == 2
        patient = by_recipient["patient"]
        assert patient["title"] == "Appointment booked" and patient["created_at"]
        assert {(d["channel"], d["status"]) for d in patient["deliveries"]} == {("inapp", "sent"), ("email", "sent")}
        family = {(d["channel"], d["status"], d["last_error"]) for d in by_recipient["related-person"]["deliveries"]}
        assert ("email", "bounced", "smtp-recipient-refused-550") in family
        assert audit_since(runtime) == [("read", "notification-history", str(world.patient), "success")]

    def test_delivery_addresses_are_not_shown(self, client, auth, world, booked):
        text = client.get(f"/notifications?patient_id={world.patient}", headers=auth()).get_data(as_text=True)
        assert "pat@example.org" not in text and "family@example.org" not in text

    def test_filters_by_event_type_category_and_recipient_type(self, client, auth, world, booked):
        base = f"/notifications?patient_id={world.patient}"
        assert client.get(base + "&recipient_type=patient", headers=auth()).get_json()["total"] == 1
        assert client.get(base + "&category=billing", headers=auth()).get_json()["total"] == 0
        assert client.get(base + "&event_type=scheduling.appointment-booked", headers=auth()).get_json()["total"] == 2

    def test_care_team_nurse_may_read_it(self, client, auth, world, booked):
        assert client.get(f"/notifications?patient_id={world.patient}",
                          headers=auth("nurse", sub=world.nurse)).status_code == 200

    def test_clinician_not_on_the_team_is_403_and_audited(self, client, auth, runtime, world, booked):
        for role, who in (("nurse", world.stranger), ("nurse", world.former_nurse), ("physician", uuid.uuid4())):
            assert_problem(client.get(f"/notifications?patient_id={world.patient}", headers=auth(role, sub=who)), 403)
        assert audit_since(runtime) == [("read", "notification-history", str(world.patient), "denied")] * 3

    def test_billing_staff_are_403(self, client, auth, world, booked):
        assert_problem(client.get(f"/notifications?patient_id={world.patient}",
                                  headers=auth("billing", sub=world.billing_clerk)), 403)

    def test_bad_queries_are_422(self, client, auth, world):
        patient = f"?patient_id={world.patient}"
        for query in ("", "?patient_id=not-a-uuid", patient + "&event_type=patients.patient-registered",
                      patient + "&category=gossip", patient + "&recipient_type=robot", patient + "&page=0"):
            assert_problem(client.get("/notifications" + query, headers=auth()), 422)

    def test_patient_with_no_notifications_has_an_empty_history(self, client, auth):
        assert client.get(f"/notifications?patient_id={uuid.uuid4()}", headers=auth()).get_json()["total"] == 0


class TestOneNotification:
    def test_returns_it_with_its_deliveries_and_audits(self, client, auth, runtime, world, booked):
        note = next(n for n in notifications(runtime, booked.id) if n.recipient_type == "patient")
        response = client.get(f"/notifications/{note.id}", headers=auth())
        assert response.status_code == 200
        assert response.get_json()["recipient_id"] == str(world.patient)
        assert len(response.get_json()["deliveries"]) == 2
        assert audit_since(runtime) == [("read", "notification", str(world.patient), "success")]

    def test_clinician_not_on_the_team_is_403(self, client, auth, runtime, world, booked):
        note = notifications(runtime, booked.id)[0]
        assert_problem(client.get(f"/notifications/{note.id}", headers=auth("nurse", sub=world.stranger)), 403)

    def test_unknown_is_404(self, client, auth):
        assert_problem(client.get(f"/notifications/{uuid.uuid4()}", headers=auth()), 404)
