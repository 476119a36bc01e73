"""The notifications service reads a location, as itself, to say where a
visit is in the messages to patients and family, and an appointment, for a
telehealth visit's join link; nothing else of this API lets a service in."""
from datetime import datetime
from zoneinfo import ZoneInfo

from carebridge.testing import assert_problem, audit_trail, outbox


def test_notifications_reads_a_location_and_nothing_else(client, auth, world):
    notifications = auth("service", sub="notifications")
    response = client.get(f"/locations/{world.clinic_id}", headers=notifications)
    assert response.status_code == 200 and response.get_json()["setting"] == "outpatient-clinic"
    assert_problem(client.get("/locations", headers=notifications), 403)
    assert_problem(client.get("/appointments", headers=notifications), 403)
    assert_problem(client.get(f"/locations/{world.clinic_id}", headers=auth("service", sub="billing")), 403)


def test_notifications_reads_a_telehealth_visits_join_link_which_no_event_carries(client, auth, world, book,
                                                                                runtime):
    visit = book(datetime(2026, 3, 7, 9, tzinfo=ZoneInfo("America/New_York")),
                 appointment_type_code="telehealth-check-in")
    response = client.get(f"/appointments/{visit['id']}", headers=auth("service", sub="notifications"))
    assert response.status_code == 200
    link = response.get_json()["telehealth_join_url"]
    assert link and link == visit["telehealth_join_url"]
    assert all(link not in str(event.data) for event in outbox(runtime))
    assert audit_trail(runtime)[-1]["action"] == "read"
    assert_problem(client.get(f"/appointments/{visit['id']}", headers=auth("service", sub="billing")), 403)


def test_the_openapi_document_names_the_calling_services(client):
    spec = client.get("/openapi.json").get_json()
    callers = {(path, method): operation["x-service-callers"]
               for path, operations in spec["paths"].items() for method, operation in operations.items()
               if isinstance(operation, dict) and "x-service-callers" in operation}
    assert callers == {("/locations/{location_id}", "get"): ["notifications"],
                       ("/appointments/{appointment_id}", "get"): ["notifications"]}
