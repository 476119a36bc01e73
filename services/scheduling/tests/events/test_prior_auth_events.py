"""billing.prior-auth-decided / -expiring: booked visits that depend on an
authorization at risk are flagged and announced (issue 25, item 2)."""
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from carebridge.testing import deliver, make_event, outbox

NEW_YORK = ZoneInfo("America/New_York")


def decided(patient_id, appointment_ids, status="denied"):
    return make_event("billing.prior-auth-decided", {
        "prior_auth_id": uuid.uuid4(), "patient_id": patient_id, "service_code": "72148",
        "appointment_id": appointment_ids[0] if appointment_ids else None, "status": status,
        "authorized_units": None, "expires_on": None, "reason_codes": ["50"],
        "affected_appointment_ids": appointment_ids})


def expiring(patient_id, appointment_ids):
    return make_event("billing.prior-auth-expiring", {
        "prior_auth_id": uuid.uuid4(), "patient_id": patient_id, "service_code": "72148",
        "expires_on": date(2026, 3, 20), "units_remaining": 1, "affected_appointment_ids": appointment_ids})


def test_a_denial_flags_the_booked_visit_and_announces_it_once(runtime, world, book, client, coordinator):
    visit = book(datetime(2026, 3, 10, 10, tzinfo=NEW_YORK))
    event = decided(world.patient_id, [visit["id"]])
    assert deliver(runtime, event) == "applied"
    shown = client.get(f"/appointments/{visit['id']}", headers=coordinator).get_json()
    assert shown["authorization_issue"] == "denied" and shown["authorization_issue_at"]
    [announced] = outbox(runtime, "scheduling.appointment-authorization-at-risk")
    assert (announced.data["appointment_id"], announced.data["issue"]) == (visit["id"], "denied")
    assert announced.data["prior_auth_id"] == str(event.data["prior_auth_id"])
    deliver(runtime, decided(world.patient_id, [visit["id"]]))  # the same word again: no second notice
    assert len(outbox(runtime, "scheduling.appointment-authorization-at-risk")) == 1


def test_expiring_flags_the_visit_but_never_hides_a_denial(runtime, world, book, client, coordinator):
    first = book(datetime(2026, 3, 10, 10, tzinfo=NEW_YORK))
    second = book(datetime(2026, 3, 11, 10, tzinfo=NEW_YORK))
    deliver(runtime, decided(world.patient_id, [first["id"]]))
    deliver(runtime, expiring(world.patient_id, [first["id"], second["id"]]))
    issues = [client.get(f"/appointments/{v['id']}", headers=coordinator).get_json()["authorization_issue"]
              for v in (first, second)]
    assert issues == ["denied", "expiring"]


def test_approvals_cancelled_visits_and_other_patients_visits_are_left_alone(runtime, world, book, client,
                                                                             coordinator):
    visit = book(datetime(2026, 3, 10, 10, tzinfo=NEW_YORK))
    deliver(runtime, decided(world.patient_id, [visit["id"]], status="approved"))
    deliver(runtime, decided(uuid.uuid4(), [visit["id"]]))
    assert client.get(f"/appointments/{visit['id']}", headers=coordinator).get_json()["authorization_issue"] is None
    assert outbox(runtime, "scheduling.appointment-authorization-at-risk") == []
