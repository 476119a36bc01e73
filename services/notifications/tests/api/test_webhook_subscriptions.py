"""/webhook-subscriptions: admins register staff apps."""
import uuid

import pytest

from carebridge.testing import assert_problem, outbox
from support import runtime_settings_for

SECRET = "a-long-enough-shared-secret-0123456789"
BODY = {"url": "https://staff-app.example.org/hooks", "secret": SECRET,
        "event_types": ["scheduling.appointment-missed", "careplans.medication-alert"], "description": "ward app"}


@pytest.fixture
def created(client, auth):
    response = client.post("/webhook-subscriptions", json=BODY, headers=auth("admin"))
    assert response.status_code == 201
    return response


def test_create_returns_it_without_the_secret(client, auth, runtime, created):
    body = created.get_json()
    assert "secret" not in body and SECRET not in created.get_data(as_text=True)
    assert body["event_types"] == ["careplans.medication-alert", "scheduling.appointment-missed"]
    assert created.headers["ETag"] == '"1"' and created.headers["Location"] == f"/webhook-subscriptions/{body['id']}"
    assert [e.type for e in outbox(runtime)] == []


def test_create_is_idempotent_with_a_key(client, auth):
    headers = {**auth("admin"), "Idempotency-Key": "subscribe-ward-app-1"}
    first = client.post("/webhook-subscriptions", json=BODY, headers=headers)
    second = client.post("/webhook-subscriptions", json=BODY, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true" and second.get_json()["id"] == first.get_json()["id"]
    assert client.get("/webhook-subscriptions", headers=auth("admin")).get_json()["total"] == 1


def test_invalid_subscriptions_are_422_and_nothing_is_stored(client, auth):
    for change in ({"url": "ftp://example.org/x"}, {"url": "not a url at all"}, {"secret": "short"},
                   {"event_types": []}, {"event_types": ["patients.patient-registered"]}, {"event_types": "all"}):
        assert_problem(client.post("/webhook-subscriptions", json={**BODY, **change}, headers=auth("admin")), 422)
    assert client.get("/webhook-subscriptions", headers=auth("admin")).get_json()["total"] == 0


def test_only_admins(client, auth):
    for role in ("coordinator", "nurse", "billing"):
        assert_problem(client.post("/webhook-subscriptions", json=BODY, headers=auth(role)), 403)
        assert_problem(client.get("/webhook-subscriptions", headers=auth(role)), 403)


def test_read_one_and_list(client, auth, created):
    subscription_id = created.get_json()["id"]
    one = client.get(f"/webhook-subscriptions/{subscription_id}", headers=auth("admin"))
    assert one.status_code == 200 and one.headers["ETag"] == '"1"'
    assert client.get("/webhook-subscriptions", headers=auth("admin")).get_json()["items"][0]["id"] == subscription_id
    assert_problem(client.get(f"/webhook-subscriptions/{uuid.uuid4()}", headers=auth("admin")), 404)


def test_replace_needs_if_match_and_keeps_the_secret_unless_given(client, auth, runtime, created):
    from carebridge_notifications.persistence.models import WebhookSubscription
    url = f"/webhook-subscriptions/{created.get_json()['id']}"
    change = {**BODY, "secret": None, "active": False}
    assert_problem(client.put(url, json=change, headers=auth("admin")), 428)
    assert_problem(client.put(url, json=change, headers={**auth("admin"), "If-Match": '"5"'}), 412)
    response = client.put(url, json=change, headers={**auth("admin"), "If-Match": '"1"'})
    assert response.status_code == 200 and response.get_json()["active"] is False and response.headers["ETag"] == '"2"'
    with runtime.db.transaction() as session:
        assert session.get(WebhookSubscription, uuid.UUID(created.get_json()["id"])).secret == SECRET
    assert_problem(client.put(url, json={**BODY, "url": "gopher://x"}, headers={**auth("admin"), "If-Match": '"2"'}),
                   422)
    assert_problem(client.put(f"/webhook-subscriptions/{uuid.uuid4()}", json=BODY,
                              headers={**auth("admin"), "If-Match": '"1"'}), 404)


def test_delete_needs_if_match(client, auth, created):
    url = f"/webhook-subscriptions/{created.get_json()['id']}"
    assert_problem(client.delete(url, headers=auth("admin")), 428)
    assert_problem(client.delete(url, headers={**auth("admin"), "If-Match": '"9"'}), 412)
    assert client.delete(url, headers={**auth("admin"), "If-Match": '"1"'}).status_code == 204
    assert_problem(client.get(url, headers=auth("admin")), 404)
    assert_problem(client.delete(url, headers={**auth("admin"), "If-Match": '"1"'}), 404)


class TestHttpsRequiredWhenConfigured:
    @pytest.fixture
    def runtime_settings(self, tmp_path):
        return runtime_settings_for(tmp_path, WEBHOOK_REQUIRE_HTTPS="true")

    def test_plain_http_is_refused(self, client, auth):
        body = assert_problem(client.post("/webhook-subscriptions", json={**BODY, "url": "http://app.example.org/h"},
                                          headers=auth("admin")), 422)
        assert "url" in body["errors"]


def test_a_service_role_token_with_a_staff_subject_administers_no_webhooks(client, auth):
    """Issue 22: the `service` role is no longer a master key. A token that
    claims it without naming a calling service is no identity; a real
    service identity is refused here, since no service calls this API."""
    from carebridge.auth import DEV_SUBJECTS
    forged = auth("service", sub=DEV_SUBJECTS["coordinator"])
    assert_problem(client.post("/webhook-subscriptions", json=BODY, headers=forged), 401)
    assert_problem(client.get("/webhook-subscriptions", headers=forged), 401)
    for name in ("patients", "careplans", "scheduling", "billing"):
        assert_problem(client.post("/webhook-subscriptions", json=BODY, headers=auth("service", sub=name)), 403)
    assert client.get("/webhook-subscriptions", headers=auth("admin")).get_json()["total"] == 0
