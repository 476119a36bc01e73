"""What every CareBridge service promises: the OpenAPI document marks the
patient-scoped operations, every endpoint but health needs a token, and the
schema has a migration for every model change."""
import pytest

from carebridge.testing import check_migrations, patient_scoped_operations
from carebridge.web import KIT_PATHS
from carebridge_notifications.service import create_app
from carebridge.web.api import PUBLIC_PATHS

PATIENT_SCOPED = {
    ("GET", "/inbox/{notification_id}"), ("POST", "/inbox/{notification_id}/read"),
    ("POST", "/inbox/{notification_id}/acknowledge"), ("GET", "/notifications"),
    ("GET", "/notifications/{notification_id}"), ("GET", "/preferences/patients/{patient_id}"),
    ("PUT", "/preferences/patients/{patient_id}"), ("GET", "/preferences/related-persons/{related_person_id}"),
    ("PUT", "/preferences/related-persons/{related_person_id}"), ("GET", "/escalations"),
    ("GET", "/escalations/{escalation_id}"), ("GET", "/deliveries/{delivery_id}"),
    ("POST", "/deliveries/{delivery_id}/retry"), ("GET", "/recipients"),
}
OWN_PREFIXES = ("/notifications", "/inbox", "/preferences", "/webhook-subscriptions", "/escalations", "/deliveries",
                "/recipients", "/fhir/R4/")


@pytest.fixture(scope="module")
def spec():
    app = create_app({"database_url": "sqlite://", "TESTING": True})
    return app.test_client().get("/openapi.json").get_json()


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_patient_scoped_operations_are_marked(spec):
    assert set(patient_scoped_operations(spec)) == PATIENT_SCOPED


def test_paths_stay_under_this_services_prefixes(spec):
    for path, _method, _op in operations(spec):
        assert path in KIT_PATHS or path.startswith(OWN_PREFIXES), path


def test_writes_document_their_headers(spec):
    for path, method, operation in operations(spec):
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if method in ("put", "delete"):
            assert "If-Match" in names, (path, method)
    assert "Idempotency-Key" in {p["name"] for p in spec["paths"]["/webhook-subscriptions"]["post"]["parameters"]}


def test_every_endpoint_but_health_needs_a_token(client, spec):
    for path, method, _op in operations(spec):
        if path in PUBLIC_PATHS:
            continue
        concrete = path.replace("{", "").replace("}", "")
        for name in ("notification_id", "patient_id", "related_person_id", "escalation_id", "delivery_id",
                     "subscription_id", "practitioner_id"):
            concrete = concrete.replace(name, "00000000-0000-4000-8000-000000000000")
        response = getattr(client, method)(concrete)
        assert response.status_code == 401, (method, path)


def test_health_answers_without_a_token(client):
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert client.get("/readyz").status_code == 200


def test_models_and_migrations_agree(service, scratch_database_url):
    # Fails when a model changes without a migration (on SQLite and PostgreSQL).
    check_migrations(service, scratch_database_url)
