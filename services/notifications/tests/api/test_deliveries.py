"""/deliveries: the queue by status for operations, and sending a failed one again."""
import uuid

import pytest

from carebridge.testing import assert_problem
from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import audit_since, deliveries, patient_updated, runtime_settings_for


@pytest.fixture
def runtime_settings(tmp_path, smtp_server):
    return runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port))


@pytest.fixture
def bounced(runtime, world, smtp_server):
    smtp_server.refuse["pat@example.org"] = "550 5.1.1 No such user"
    world.deliver(world.booked())
    send_due_deliveries(runtime)
    return next(d for d in deliveries(runtime, "email") if d.status == "bounced")


class TestListing:
    def test_lists_deliveries_in_a_status_with_one_search_audit(self, client, auth, runtime, world, bounced):
        response = client.get("/deliveries?status=bounced", headers=auth())
        assert response.status_code == 200
        [item] = response.get_json()["items"]
        assert (item["id"], item["channel"], item["patient_id"], item["recipient_type"]) == (
            str(bounced.id), "email", str(world.patient), "patient")
        assert audit_since(runtime) == [("search", "delivery", str(world.patient), "success")]

    def test_defaults_to_failed_and_filters_by_channel(self, client, auth, world, bounced):
        assert client.get("/deliveries", headers=auth()).get_json()["total"] == 0
        assert client.get("/deliveries?status=sent&channel=inapp", headers=auth()).get_json()["total"] == 2

    def test_bad_filters_are_422(self, client, auth):
        assert_problem(client.get("/deliveries?status=lost", headers=auth()), 422)
        assert_problem(client.get("/deliveries?channel=pigeon", headers=auth()), 422)

    def test_only_coordinators_and_admins(self, client, auth):
        for role in ("nurse", "physician", "billing"):
            assert_problem(client.get("/deliveries", headers=auth(role, sub=uuid.uuid4())), 403)
        assert_problem(client.get("/deliveries", headers=auth("service", sub="scheduling")), 403)


class TestOne:
    def test_returns_it_and_audits(self, client, auth, runtime, world, bounced):
        response = client.get(f"/deliveries/{bounced.id}", headers=auth("admin"))
        assert response.status_code == 200 and response.get_json()["status"] == "bounced"
        assert audit_since(runtime) == [("read", "delivery", str(world.patient), "success")]

    def test_clinicians_are_403(self, client, auth, world, bounced):
        assert_problem(client.get(f"/deliveries/{bounced.id}", headers=auth("nurse", sub=world.stranger)), 403)

    def test_unknown_is_404(self, client, auth):
        assert_problem(client.get(f"/deliveries/{uuid.uuid4()}", headers=auth()), 404)


class TestSendAgain:
    def test_bounced_email_goes_again_to_the_corrected_address(self, client, auth, runtime, world, bounced,
                                                                smtp_server):
        world.deliver(patient_updated(world.patient, revision=2, email="fixed@example.org"))
        response = client.post(f"/deliveries/{bounced.id}/retry", headers=auth())
        assert response.status_code == 200
        assert (response.get_json()["status"], response.get_json()["attempts"]) == ("pending", 0)
        assert audit_since(runtime) == [("update", "delivery", str(world.patient), "success")]
        send_due_deliveries(runtime)
        assert len(smtp_server.to("fixed@example.org")) == 1
        assert next(d for d in deliveries(runtime, "email") if d.id == bounced.id).status == "sent"

    def test_delivery_that_did_not_fail_cannot_be_sent_again(self, client, auth, runtime, world, bounced):
        sent = next(d for d in deliveries(runtime, "inapp"))
        body = assert_problem(client.post(f"/deliveries/{sent.id}/retry", headers=auth()), 409)
        assert body["current_status"] == "sent" and body["allowed"] == []

    def test_without_an_address_on_file_now_it_is_refused_and_nothing_changes(self, client, auth, runtime, world,
                                                                             bounced):
        world.deliver(patient_updated(world.patient, revision=2, email=None))
        assert_problem(client.post(f"/deliveries/{bounced.id}/retry", headers=auth()), 422)
        assert next(d for d in deliveries(runtime, "email") if d.id == bounced.id).status == "bounced"

    def test_clinicians_are_403(self, client, auth, world, bounced):
        assert_problem(client.post(f"/deliveries/{bounced.id}/retry", headers=auth("nurse", sub=world.nurse)), 403)

    def test_unknown_is_404(self, client, auth):
        assert_problem(client.post(f"/deliveries/{uuid.uuid4()}/retry", headers=auth()), 404)
