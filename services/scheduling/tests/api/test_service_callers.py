"""The notifications service reads a location, as itself, to say where a
visit is in the messages to patients and family; nothing else of this API
lets a service in."""
from carebridge.testing import assert_problem


def test_notifications_reads_a_location_and_nothing_else(client, auth, world):
    notifications = auth("service", sub="notifications")
    response = client.get(f"/locations/{world.clinic_id}", headers=notifications)
    assert response.status_code == 200 and response.get_json()["setting"] == "outpatient-clinic"
    assert_problem(client.get("/locations", headers=notifications), 403)
    assert_problem(client.get("/appointments", headers=notifications), 403)
    assert_problem(client.get(f"/locations/{world.clinic_id}", headers=auth("service", sub="billing")), 403)


def test_the_openapi_document_names_the_calling_services(client):
    spec = client.get("/openapi.json").get_json()
    callers = {(path, method): operation["x-service-callers"]
               for path, operations in spec["paths"].items() for method, operation in operations.items()
               if isinstance(operation, dict) and "x-service-callers" in operation}
    assert callers == {("/locations/{location_id}", "get"): ["notifications"]}
