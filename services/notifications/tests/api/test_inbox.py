"""/inbox: a practitioner's own notifications, unread count, read, acknowledge."""
import uuid

import pytest

from carebridge.testing import assert_problem
from support import audit_since, notifications


@pytest.fixture
def nurse_inbox(world, clock):
    """The nurse has an urgent missed-appointment notification and, a minute later, a routine task."""
    no_show = world.missed()
    world.deliver(no_show)
    clock.advance(minutes=1)
    world.deliver(world.task(owner=world.nurse, code="rebook", priority="urgent"))
    return no_show


def nurse_note(runtime, world, source_event_id):
    return next(n for n in notifications(runtime, source_event_id) if n.recipient_id == world.nurse)


class TestListing:
    def test_my_inbox_lists_my_notifications_newest_first_and_is_audited_once(self, client, auth, runtime, world,
                                                                              nurse_inbox):
        response = client.get("/inbox", headers=auth("nurse", sub=world.nurse))
        assert response.status_code == 200
        page = response.get_json()
        assert page["total"] == 2 and [i["title"] for i in page["items"]] == ["New task: rebooking",
                                                                            "Missed appointment"]
        urgent = page["items"][1]
        assert urgent["urgency"] == "urgent" and urgent["needs_acknowledgement"] is True
        assert urgent["patient_id"] == str(world.patient) and urgent["category"] == "appointments"
        assert audit_since(runtime) == [("search", "inbox", str(world.patient), "success")]

    def test_filters_unread_and_urgent(self, client, auth, world, nurse_inbox):
        urgent = client.get("/inbox?urgent_only=true", headers=auth("nurse", sub=world.nurse)).get_json()
        assert [i["source_event_type"] for i in urgent["items"]] == ["scheduling.appointment-missed"]
        first = urgent["items"][0]["id"]
        client.post(f"/inbox/{first}/read", headers=auth("nurse", sub=world.nurse))
        unread = client.get("/inbox?unread_only=true", headers=auth("nurse", sub=world.nurse)).get_json()
        assert [i["source_event_type"] for i in unread["items"]] == ["careplans.task-assigned"]

    def test_someone_else_sees_only_their_own(self, client, auth, world, nurse_inbox):
        page = client.get("/inbox", headers=auth("physician", sub=world.physician)).get_json()
        assert page["total"] == 0

    def test_paging_is_validated(self, client, auth, world):
        assert_problem(client.get("/inbox?page_size=500", headers=auth("nurse", sub=world.nurse)), 422)
        assert_problem(client.get("/inbox?unread_only=maybe", headers=auth("nurse", sub=world.nurse)), 422)

    def test_token_without_a_directory_id_has_no_inbox(self, client, auth):
        assert_problem(client.get("/inbox", headers=auth("admin", sub="ops-console")), 403)

    def test_service_tokens_have_no_inbox(self, client, auth):
        assert_problem(client.get("/inbox", headers=auth("service", sub="careplans")), 403)

    def test_no_token_is_401(self, client):
        assert_problem(client.get("/inbox"), 401)


class TestUnreadCount:
    def test_counts_unread_and_unacknowledged_urgent(self, client, auth, runtime, world, nurse_inbox):
        headers = auth("nurse", sub=world.nurse)
        assert client.get("/inbox/unread-count", headers=headers).get_json() == {
            "unread": 2, "urgent_unread": 1, "urgent_unacknowledged": 1}
        note = nurse_note(runtime, world, nurse_inbox.id)
        client.post(f"/inbox/{note.id}/read", headers=headers)
        assert client.get("/inbox/unread-count", headers=headers).get_json() == {
            "unread": 1, "urgent_unread": 0, "urgent_unacknowledged": 1}
        client.post(f"/inbox/{note.id}/acknowledge", headers=headers)
        assert client.get("/inbox/unread-count", headers=headers).get_json()["urgent_unacknowledged"] == 0

    def test_reading_the_count_is_not_patient_data_and_leaves_no_audit(self, client, auth, runtime, world):
        client.get("/inbox/unread-count", headers=auth("nurse", sub=world.nurse))
        assert audit_since(runtime) == []


class TestOneNotification:
    def test_read_my_notification_is_audited_against_its_patient(self, client, auth, runtime, world, nurse_inbox):
        note = nurse_note(runtime, world, nurse_inbox.id)
        response = client.get(f"/inbox/{note.id}", headers=auth("nurse", sub=world.nurse))
        assert response.status_code == 200 and response.get_json()["body"].startswith("Patient MRN-2041: The patient missed")
        assert audit_since(runtime) == [("read", "notification", str(world.patient), "success")]

    def test_someone_elses_notification_is_403_and_the_refusal_audited(self, client, auth, runtime, world,
                                                                       nurse_inbox):
        note = nurse_note(runtime, world, nurse_inbox.id)
        for headers in (auth("nurse", sub=world.stranger), auth("coordinator", sub=world.coordinator)):
            body = assert_problem(client.get(f"/inbox/{note.id}", headers=headers), 403)
            assert str(world.patient) not in str(body)
        assert audit_since(runtime) == [("read", "notification", str(world.patient), "denied")] * 2

    def test_unknown_notification_is_404(self, client, auth, world):
        assert_problem(client.get(f"/inbox/{uuid.uuid4()}", headers=auth("coordinator", sub=world.coordinator)), 404)
        # To a nurse, the same 403 as another patient's record (issue 23).
        assert_problem(client.get(f"/inbox/{uuid.uuid4()}", headers=auth("nurse", sub=world.nurse)), 403)


class TestMarkRead:
    def test_marks_read_once_and_again_is_harmless(self, client, auth, runtime, world, nurse_inbox, clock):
        note = nurse_note(runtime, world, nurse_inbox.id)
        headers = auth("nurse", sub=world.nurse)
        first = client.post(f"/inbox/{note.id}/read", headers=headers)
        assert first.status_code == 200 and first.get_json()["read_at"] == clock.now().isoformat()
        clock.advance(minutes=5)
        again = client.post(f"/inbox/{note.id}/read", headers=headers)
        assert again.get_json()["read_at"] == first.get_json()["read_at"]
        assert audit_since(runtime) == [("update", "notification", str(world.patient), "success")] * 2

    def test_someone_elses_is_403_and_stays_unread(self, client, auth, runtime, world, nurse_inbox):
        note = nurse_note(runtime, world, nurse_inbox.id)
        assert_problem(client.post(f"/inbox/{note.id}/read", headers=auth("nurse", sub=world.stranger)), 403)
        assert nurse_note(runtime, world, nurse_inbox.id).read_at is None

    def test_unknown_is_404(self, client, auth, world):
        # A care-team-scoped caller gets the same 403 for a missing record as
        # for another patient's (issue 23): nothing tells whether it exists.
        assert_problem(client.post(f"/inbox/{uuid.uuid4()}/read", headers=auth("nurse", sub=world.nurse)), 403)


class TestAcknowledge:
    def test_acknowledging_marks_it_read_and_stops_the_escalation(self, client, auth, runtime, world, nurse_inbox):
        note = nurse_note(runtime, world, nurse_inbox.id)
        response = client.post(f"/inbox/{note.id}/acknowledge", headers=auth("nurse", sub=world.nurse))
        assert response.status_code == 200
        body = response.get_json()
        assert body["acknowledged_at"] and body["read_at"] and body["needs_acknowledgement"] is False
        assert audit_since(runtime) == [("update", "notification", str(world.patient), "success")]
        escalation = client.get(f"/escalations?patient_id={world.patient}", headers=auth()).get_json()["items"][0]
        assert (escalation["status"], escalation["acknowledged_by"]) == ("acknowledged", str(world.nurse))

    def test_someone_elses_is_403_and_changes_nothing(self, client, auth, runtime, world, nurse_inbox):
        note = nurse_note(runtime, world, nurse_inbox.id)
        assert_problem(client.post(f"/inbox/{note.id}/acknowledge", headers=auth("nurse", sub=world.stranger)), 403)
        assert nurse_note(runtime, world, nurse_inbox.id).acknowledged_at is None
        escalation = client.get(f"/escalations?patient_id={world.patient}", headers=auth()).get_json()["items"][0]
        assert escalation["status"] == "open"

    def test_unknown_is_404(self, client, auth, world):
        assert_problem(client.post(f"/inbox/{uuid.uuid4()}/acknowledge", headers=auth("nurse", sub=world.nurse)),
                       403)

    def test_service_tokens_cannot_acknowledge(self, client, auth):
        assert_problem(client.post(f"/inbox/{uuid.uuid4()}/acknowledge", headers=auth("service", sub="careplans")),
                       403)
