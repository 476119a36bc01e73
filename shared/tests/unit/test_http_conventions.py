"""Every error path of the kit's HTTP layer answers problem+json with the
right status; probes, metrics and docs work without a token."""
import time
import uuid

import jwt
import pytest

from carebridge.config import DEV_JWT_SECRET
from carebridge.service import Runtime
from carebridge.testing import assert_problem
from carebridge.web import create_app

UNREACHABLE_BROKER = "amqp://guest:guest@127.0.0.1:1//"  # nothing listens on port 1



@pytest.fixture
def toy(client, auth):
    response = client.post("/toys", json={"name": "kite", "patient_id": str(uuid.uuid4())}, headers=auth())
    assert response.status_code == 201
    return response.get_json()


def test_malformed_json_is_400(client, auth):
    body = assert_problem(client.post("/toys", data="{not json", content_type="application/json",
                                      headers=auth()), 400)
    assert "JSON" in body["detail"]


def test_invalid_fields_are_422_with_errors_per_field(client, auth):
    body = assert_problem(client.post("/toys", json={"name": 5, "patient_id": "x"}, headers=auth()), 422)
    assert set(body["errors"]) == {"name", "patient_id"}


def test_missing_fields_are_422(client, auth):
    body = assert_problem(client.post("/toys", json={}, headers=auth()), 422)
    assert body["errors"]["patient_id"] == ["Missing data for required field."]


def test_invalid_query_is_422_naming_the_parameter(client, auth):
    body = assert_problem(client.get("/toys?page_size=1000", headers=auth()), 422)
    assert "query.page_size" in body["errors"]


def test_unknown_path_is_404_and_wrong_method_405(client, auth):
    assert_problem(client.get("/no-such-path", headers=auth()), 404)
    response = client.delete("/toys", headers=auth())
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_unexpected_error_is_a_500_that_leaks_nothing(client, auth):
    body = assert_problem(client.get("/toys/boom", headers=auth()), 500)
    assert "Jane" not in str(body) and "RuntimeError" not in str(body)
    assert body["request_id"]


def test_duplicate_is_409(client, auth, toy):
    assert_problem(client.post("/toys", json={"name": "kite", "patient_id": toy["patient_id"]}, headers=auth()), 409)


def test_role_not_allowed_is_403(client, auth):
    assert_problem(client.post("/toys", json={"name": "x", "patient_id": str(uuid.uuid4())},
                               headers=auth("billing")), 403)


class TestOptimisticConcurrency:
    def test_read_returns_the_version_as_etag(self, client, auth, toy):
        assert client.get(f"/toys/{toy['id']}", headers=auth()).headers["ETag"] == '"1"'

    def test_update_without_if_match_is_428(self, client, auth, toy):
        assert_problem(client.put(f"/toys/{toy['id']}", json={"name": "b"}, headers=auth()), 428)

    def test_stale_if_match_is_412_and_changes_nothing(self, client, auth, toy):
        assert_problem(client.put(f"/toys/{toy['id']}", json={"name": "b"},
                                  headers={**auth(), "If-Match": '"9"'}), 412)
        assert client.get(f"/toys/{toy['id']}", headers=auth()).get_json()["name"] == "kite"

    @pytest.mark.parametrize("if_match, status", [("*", 428), ('W/"1"', 412), ('W/"1", "7"', 412)])
    def test_any_version_or_a_weak_etag_does_not_pass_the_version_check(self, client, auth, toy, if_match, status):
        assert_problem(client.put(f"/toys/{toy['id']}", json={"name": "b"},
                                  headers={**auth(), "If-Match": if_match}), status)
        assert client.get(f"/toys/{toy['id']}", headers=auth()).get_json()["name"] != "b"

    def test_current_if_match_updates_and_moves_the_etag(self, client, auth, toy):
        response = client.put(f"/toys/{toy['id']}", json={"name": "b"}, headers={**auth(), "If-Match": '"1"'})
        assert response.status_code == 200
        assert response.headers["ETag"] == '"2"'
        assert_problem(client.put(f"/toys/{toy['id']}", json={"name": "c"},
                                  headers={**auth(), "If-Match": '"1"'}), 412)


class TestIdempotencyKey:
    def test_retry_replays_the_first_response_without_doing_the_work_again(self, client, auth, runtime):
        from carebridge.testing import outbox
        body = {"name": "ball", "patient_id": str(uuid.uuid4())}
        headers = {**auth(), "Idempotency-Key": "retry-me-123"}
        first = client.post("/toys", json=body, headers=headers)
        second = client.post("/toys", json=body, headers=headers)
        assert first.status_code == second.status_code == 201
        assert second.get_json() == first.get_json()
        assert second.headers["Idempotent-Replayed"] == "true"
        assert len(outbox(runtime, "toys.toy-created")) == 1
        # Both the first request and the replay showed the patient's data.
        from carebridge.testing import audit_trail
        trail = audit_trail(runtime)
        assert [(r["action"], r["patient_id"]) for r in trail] == [("create", body["patient_id"]),
                                                                     ("read", body["patient_id"])]

    def test_same_key_with_another_body_is_refused(self, client, auth):
        headers = {**auth(), "Idempotency-Key": "retry-me-456"}
        client.post("/toys", json={"name": "a", "patient_id": str(uuid.uuid4())}, headers=headers)
        assert_problem(client.post("/toys", json={"name": "b", "patient_id": str(uuid.uuid4())},
                                   headers=headers), 422)

    def test_a_failed_request_does_not_burn_the_key(self, client, auth):
        headers = {**auth(), "Idempotency-Key": "retry-me-789"}
        assert client.post("/toys", json={"name": 1}, headers=headers).status_code == 422
        assert client.post("/toys", json={"name": "ok", "patient_id": str(uuid.uuid4())},
                           headers=headers).status_code == 201

    def test_an_expired_response_is_never_replayed(self, client, auth, runtime, clock):
        from carebridge.testing import outbox
        body = {"name": "ball", "patient_id": str(uuid.uuid4())}
        headers = {**auth(), "Idempotency-Key": "retry-me-ttl"}
        first = client.post("/toys", json=body, headers=headers)
        clock.advance(hours=23, minutes=59)
        assert client.post("/toys", json=body, headers=headers).headers.get("Idempotent-Replayed") == "true"
        clock.advance(minutes=2)
        # The key is free again: a new request with it runs (names are
        # unique, so the same body would now be a 409 conflict).
        body = {**body, "name": "ball-2"}
        again = client.post("/toys", json=body, headers=headers)
        assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
        assert again.get_json()["id"] != first.get_json()["id"]
        assert len(outbox(runtime, "toys.toy-created")) == 2
        assert client.post("/toys", json=body, headers=headers).get_json()["id"] == again.get_json()["id"]

    def test_every_worker_deletes_expired_responses(self, client, auth, runtime, clock):
        from sqlalchemy import func, select

        from carebridge.db.kit_tables import idempotency_keys
        from carebridge.runtime.worker import Worker
        [job] = [job for job in Worker(runtime, consume=False, relay=False).jobs if job.name == "expire-idempotency-keys"]
        client.post("/toys", json={"name": "old", "patient_id": str(uuid.uuid4())},
                    headers={**auth(), "Idempotency-Key": "old-key-0001"})
        clock.advance(hours=20)
        client.post("/toys", json={"name": "new", "patient_id": str(uuid.uuid4())},
                    headers={**auth(), "Idempotency-Key": "new-key-0001"})
        clock.advance(hours=5)
        assert job.run(runtime) == 1
        with runtime.db.transaction() as session:
            assert session.scalars(select(idempotency_keys.c.idempotency_key)).all() == ["new-key-0001"]
            assert session.scalar(select(func.count()).select_from(idempotency_keys)) == 1

    @pytest.mark.parametrize("runtime_settings", [{"idempotency_ttl_hours": 1.0}])
    def test_the_lifetime_is_a_setting(self, client, auth, clock, runtime_settings):
        body = {"name": "ball", "patient_id": str(uuid.uuid4())}
        headers = {**auth(), "Idempotency-Key": "retry-me-short"}
        client.post("/toys", json=body, headers=headers)
        clock.advance(minutes=61)
        retried = client.post("/toys", json={**body, "name": "ball-2"}, headers=headers)
        assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers

    def test_malformed_key_is_422(self, client, auth):
        assert_problem(client.post("/toys", json={"name": "a", "patient_id": str(uuid.uuid4())},
                                   headers={**auth(), "Idempotency-Key": "short"}), 422)


class TestAuthentication:
    def token(self, **overrides):
        now = int(time.time())
        claims = {"iss": "carebridge-dev", "aud": "carebridge", "sub": "someone", "iat": now,
                  "exp": now + 600, "roles": ["coordinator"]}
        claims.update(overrides)
        return jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256")

    @pytest.mark.parametrize("header", [
        None, "Bearer", "Basic abc", "Bearer not-a-jwt",
    ])
    def test_missing_or_garbled_token_is_401(self, client, header):
        headers = {"Authorization": header} if header else {}
        response = client.get("/toys", headers=headers)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")

    @pytest.mark.parametrize("claims", [
        {"exp": int(time.time()) - 3600},
        {"aud": "another-system"},
        {"iss": "someone-else"},
        {"roles": ["janitor"]},
    ], ids=["expired", "audience", "issuer", "unknown-role"])
    def test_tokens_not_for_us_are_401(self, client, claims):
        assert_problem(client.get("/toys", headers={"Authorization": f"Bearer {self.token(**claims)}"}), 401)

    def test_alg_none_is_401(self, client):
        unsigned = jwt.encode({"iss": "carebridge-dev", "aud": "carebridge", "sub": "x", "iat": int(time.time()),
                               "exp": int(time.time()) + 600, "roles": ["admin"]}, key=None, algorithm="none")
        assert_problem(client.get("/toys", headers={"Authorization": f"Bearer {unsigned}"}), 401)

    def test_tampered_signature_is_401(self, client):
        header, payload, signature = self.token().split(".")
        forged = jwt.encode({"iss": "carebridge-dev", "aud": "carebridge", "sub": "x", "iat": int(time.time()),
                             "exp": int(time.time()) + 600, "roles": ["admin"]}, "an-attacker-guessed-this-secret-wrongly-0000", algorithm="HS256")
        assert_problem(client.get("/toys", headers={"Authorization": f"Bearer {header}.{forged.split('.')[1]}.{signature}"}), 401)

    def test_valid_token_passes(self, client):
        assert client.get("/toys", headers={"Authorization": f"Bearer {self.token()}"}).status_code == 200


class TestRequestId:
    def test_generated_when_absent(self, client):
        assert uuid.UUID(client.get("/healthz").headers["X-Request-ID"])

    def test_echoed_and_carried_into_events(self, client, auth, runtime):
        from carebridge.testing import outbox
        response = client.post("/toys", json={"name": "yo", "patient_id": str(uuid.uuid4())},
                               headers={**auth(), "X-Request-ID": "req-abc-123"})
        assert response.headers["X-Request-ID"] == "req-abc-123"
        assert outbox(runtime)[0].correlation_id == "req-abc-123"

    def test_unsafe_value_is_replaced(self, client):
        assert client.get("/healthz", headers={"X-Request-ID": "bad id\x00"}).headers["X-Request-ID"] != "bad id"


class TestPublicEndpoints:
    def test_health_ready_metrics_need_no_token(self, client):
        assert client.get("/healthz").get_json()["status"] == "ok"
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok"}
        metrics = client.get("/metrics").get_data(as_text=True)
        assert "carebridge_http_requests_total" in metrics and "carebridge_outbox_backlog" in metrics

    def test_readyz_is_503_problem_when_the_database_is_gone(self, service, make_runtime, tmp_path):
        runtime = make_runtime(service, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
        client = create_app(service, {"runtime": runtime}).test_client()
        body = assert_problem(client.get("/readyz"), 503)
        assert body["checks"]["database"] == "unreachable"

    def test_the_api_stays_ready_while_the_broker_is_down(self, service, make_runtime):
        """Writes go to the outbox in the API's own database, so an API that
        cannot reach the broker still works: a broker outage must not take
        every API out of its Service."""
        settings = make_runtime(service).settings.with_overrides(broker_url=UNREACHABLE_BROKER)
        runtime = Runtime(service, settings)
        try:
            client = create_app(service, {"runtime": runtime}).test_client()
            ready = client.get("/readyz")
            assert ready.status_code == 200, ready.get_json()
            assert ready.get_json()["checks"] == {"database": "ok"}
            assert client.get("/healthz").status_code == 200
        finally:
            runtime.close()

    def test_openapi_documents_problem_errors_and_bearer_security(self, client):
        spec = client.get("/openapi.json").get_json()
        assert spec["openapi"].startswith("3.")
        assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
        post = spec["paths"]["/toys"]["post"]
        for status in ("400", "401", "403", "409", "422"):
            assert status in post["responses"]
        assert "application/problem+json" in spec["components"]["responses"]["UNAUTHORIZED"]["content"]
        assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
        assert spec["paths"]["/toys/{toy_id}"]["get"]["x-patient-scoped"] is True
        put = spec["paths"]["/toys/{toy_id}"]["put"]
        assert any(p["name"] == "If-Match" for p in put["parameters"]) and "412" in put["responses"]

    def test_interactive_docs_are_served_without_a_cdn(self, client):
        page = client.get("/docs").get_data(as_text=True)
        assert "/docs/static/swagger-ui-bundle.js" in page and "https://" not in page
        script = client.get("/docs/static/swagger-ui-bundle.js")
        assert script.status_code == 200 and len(script.data) > 100_000


def test_malformed_json_is_400_even_where_the_role_would_be_refused(client, auth):
    body = assert_problem(client.post("/toys", data="{not json", content_type="application/json",
                                      headers=auth("billing")), 400)
    assert body["title"] == "Malformed JSON"
    # Without a token it is still a 401 first.
    assert_problem(client.post("/toys", data="{not json", content_type="application/json"), 401)


def test_metrics_label_only_methods_http_knows(client, auth):
    for method in ("BREW", "X-SCAN-1", "X-SCAN-2"):
        client.open(f"/toys/{uuid.uuid4()}", method=method, headers=auth())
    exposed = client.get("/metrics").get_data(as_text=True)
    assert 'method="BREW"' not in exposed and "X-SCAN" not in exposed
    assert 'method="other"' in exposed
