"""Other services call this API only as themselves (a client-credentials
identity: role `service`, subject the service's name), and only on the
operations that name them with `@allow_services`: scheduling reads a
patient it is about to book. Everything else refuses a service, with a
denied audit record; a service-role token whose subject is no service is
no identity at all."""
import uuid

from carebridge.auth import DEV_SUBJECTS
from carebridge.testing import assert_problem
from support import audit_of


def test_a_service_role_token_with_a_staff_subject_reads_no_patient(client, auth, patient):
    forged = auth("service", sub=DEV_SUBJECTS["coordinator"])
    assert_problem(client.get(f"/patients/{patient['id']}", headers=forged), 401)
    assert_problem(client.get(f"/patients/{patient['id']}/allergies", headers=forged), 401)


def test_scheduling_reads_the_patient_it_books(client, auth, runtime, patient):
    response = client.get(f"/patients/{patient['id']}", headers=auth("service", sub="scheduling"))
    assert response.status_code == 200 and response.get_json()["status"] == "active"
    [record] = audit_of(runtime, action="read", patient_id=patient["id"], actor="service:scheduling")
    assert record["outcome"] == "success"


def test_scheduling_is_refused_what_it_does_not_call(client, auth, runtime, patient):
    scheduling = auth("service", sub="scheduling")
    calls = [("get", f"/patients/{patient['id']}/allergies"), ("get", f"/patients/{patient['id']}/related-persons"),
             ("get", "/patients"), ("get", "/practitioners"), ("get", f"/practitioners/{uuid.uuid4()}"),
             ("patch", f"/patients/{patient['id']}"), ("post", "/patients")]
    for method, path in calls:
        response = getattr(client, method)(path, json={}, headers={**scheduling, "If-Match": '"1"'})
        assert_problem(response, 403)
    denied = audit_of(runtime, actor="service:scheduling", outcome="denied")
    assert len(denied) == len(calls)
    assert {r["patient_id"] for r in denied if r["resource_id"].endswith("/allergies")} == {patient["id"]}


def test_services_that_make_no_call_here_are_refused(client, auth, patient):
    for name in ("careplans", "billing", "notifications"):
        assert_problem(client.get(f"/patients/{patient['id']}", headers=auth("service", sub=name)), 403)


def test_the_openapi_document_names_the_calling_services(client):
    spec = client.get("/openapi.json").get_json()
    callers = {(path, method): operation["x-service-callers"]
               for path, operations in spec["paths"].items() for method, operation in operations.items()
               if isinstance(operation, dict) and "x-service-callers" in operation}
    assert callers == {("/patients/{patient_id}", "get"): ["scheduling"],
                       ("/practitioners/{practitioner_id}", "get"): ["notifications"]}


def test_notifications_reads_a_practitioner_to_name_them_in_a_message(client, auth):
    made = client.post("/practitioners", headers=auth("admin"), json={
        "given_name": "Maya", "family_name": "Chen", "role": "physician", "time_zone": "America/New_York"})
    assert made.status_code == 201, made.get_json()
    notifications = auth("service", sub="notifications")
    response = client.get(f"/practitioners/{made.get_json()['id']}", headers=notifications)
    assert response.status_code == 200 and response.get_json()["family_name"] == "Chen"
    assert_problem(client.get("/practitioners", headers=notifications), 403)
