"""patients.patient-registered / -updated: the local projection, and a
deactivated patient's future appointments being cancelled."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from carebridge.testing import assert_problem, deliver, make_event, outbox
from carebridge_scheduling.persistence.models import KnownPatient
from support import event_types, patient_event, register_patient

NEW_YORK = ZoneInfo("America/New_York")


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def known(runtime, patient_id):
    with runtime.db.transaction() as session:
        patient = session.get(KnownPatient, patient_id)
        return None if patient is None else (patient.status, patient.time_zone, patient.revision)


def test_a_registered_patient_is_remembered_once(runtime):
    patient = uuid.uuid4()
    event = patient_event("patients.patient-registered", patient, time_zone="Europe/Lisbon")
    assert deliver(runtime, event) == "applied"
    assert deliver(runtime, event) == "duplicate"
    assert known(runtime, patient) == ("active", "Europe/Lisbon", 1)


def test_updates_out_of_order_keep_the_newest(runtime):
    patient = register_patient(runtime)
    deliver(runtime, patient_event("patients.patient-updated", patient, revision=3, time_zone="Asia/Tokyo"))
    deliver(runtime, patient_event("patients.patient-updated", patient, revision=2, status="inactive"))
    assert known(runtime, patient) == ("active", "Asia/Tokyo", 3)


def test_an_update_about_a_patient_not_seen_before_is_remembered(runtime):
    patient = uuid.uuid4()
    deliver(runtime, patient_event("patients.patient-updated", patient, revision=4))
    assert known(runtime, patient)[2] == 4


def test_deactivation_cancels_future_visits_once_each_and_announces_them(runtime, world, book, client, coordinator,
                                                                         clock):
    past = book(ny(2026, 3, 2, 10))
    future = [book(ny(2026, 3, 3, 10)), book(ny(2026, 3, 4, 10))]
    pending = book(ny(2026, 3, 5, 10), status="pending")
    clock.set(ny(2026, 3, 2, 10, 5))
    client.put(f"/appointments/{past['id']}/status", json={"status": "checked-in"},
               headers={**coordinator, "If-Match": '"1"'})
    event = patient_event("patients.patient-updated", world.patient_id, revision=2, status="deceased")
    assert deliver(runtime, event) == "applied"
    assert deliver(runtime, event) == "duplicate"
    cancelled = outbox(runtime, "scheduling.appointment-cancelled")
    assert sorted(e.data["appointment_id"] for e in cancelled) == sorted(a["id"] for a in future)
    assert {(e.data["reason_code"], e.data["cancelled_by"]) for e in cancelled} == {("patient-deactivated",
                                                                                     "scheduling")}
    statuses = {a["id"]: client.get(f"/appointments/{a['id']}", headers=coordinator).get_json()["status"]
                for a in (past, *future, pending)}
    assert statuses == {past["id"]: "checked-in", future[0]["id"]: "cancelled", future[1]["id"]: "cancelled",
                        pending["id"]: "cancelled"}
    assert_problem(client.post("/appointments", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "follow-up", "start": "2026-03-06T15:00:00Z"}), 422)


def test_other_updates_cancel_nothing(runtime, world, book):
    book(ny(2026, 3, 3, 10))
    deliver(runtime, patient_event("patients.patient-updated", world.patient_id, revision=2,
                                   changed_fields=["contact_points"]))
    assert event_types(outbox(runtime)) == ["scheduling.appointment-booked"]


def test_a_stale_deactivation_arriving_late_cancels_nothing(runtime, world, book):
    book(ny(2026, 3, 3, 10))
    deliver(runtime, patient_event("patients.patient-updated", world.patient_id, revision=5))
    deliver(runtime, patient_event("patients.patient-updated", world.patient_id, revision=4, status="inactive"))
    assert outbox(runtime, "scheduling.appointment-cancelled") == []


def test_deactivation_withdraws_waitlist_entries_and_booking_requests(runtime, world, client, coordinator):
    entry = client.post("/waitlist", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "follow-up", "wanted_before": "2026-03-20T00:00:00Z"}).get_json()
    deliver(runtime, make_event("careplans.plan-updated", {
        "plan_id": uuid.uuid4(), "patient_id": world.patient_id, "version": 1, "status": "active",
        "changed_sections": ["activities"], "patient_facing": True, "activities_to_schedule": [
            {"activity_id": uuid.uuid4(), "kind": "follow-up", "status": "not-started",
             "appointment_type_code": "follow-up"}]}))
    deliver(runtime, patient_event("patients.patient-updated", world.patient_id, revision=2, status="inactive"))
    assert client.get(f"/waitlist/{entry['id']}", headers=coordinator).get_json()["status"] == "withdrawn"
    assert client.get("/booking-requests", headers=coordinator).get_json()["total"] == 0
