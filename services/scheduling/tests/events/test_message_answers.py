"""A cancellation made on the notifications service's secure message page:
the visit is cancelled at the patient's request and its time offered to the
waitlist; other answers, and visits already gone, change nothing here."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from carebridge.testing import deliver, make_event, outbox

NEW_YORK = ZoneInfo("America/New_York")


def answered(appointment, answer, patient_id=None):
    return make_event("notifications.appointment-answered", {
        "answer_id": uuid.uuid4(), "notification_id": uuid.uuid4(), "appointment_id": appointment["id"],
        "patient_id": patient_id or appointment["patient_id"], "recipient_type": "related-person",
        "recipient_id": uuid.uuid4(), "answer": answer, "answered_at": "2026-03-02T14:00:00+00:00"})


def status_of(client, coordinator, appointment):
    return client.get(f"/appointments/{appointment['id']}", headers=coordinator).get_json()["status"]


def test_a_cancellation_frees_the_slot_for_the_waitlist(client, coordinator, book, runtime, world, clock):
    appointment = book(datetime(2026, 3, 3, 10, tzinfo=NEW_YORK))
    entry = client.post("/waitlist", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "follow-up", "wanted_before": "2026-03-20T00:00:00-04:00"})
    assert entry.status_code == 201, entry.get_json()
    assert deliver(runtime, answered(appointment, "cancel")) == "applied"
    assert status_of(client, coordinator, appointment) == "cancelled"
    [cancelled] = outbox(runtime, "scheduling.appointment-cancelled")
    assert cancelled.data["reason_code"] == "patient-request"
    assert cancelled.data["cancelled_by"].startswith("related-person:")
    [offer] = outbox(runtime, "scheduling.waitlist-offered")
    assert offer.data["slot_start"] == "2026-03-03T15:00:00+00:00"


def test_other_answers_and_visits_no_longer_ahead_change_nothing(client, coordinator, book, runtime, clock):
    appointment = book(datetime(2026, 3, 3, 11, tzinfo=NEW_YORK))
    for answer in ("confirm", "reschedule"):
        assert deliver(runtime, answered(appointment, answer)) == "applied"
    assert deliver(runtime, answered(appointment, "cancel", patient_id=str(uuid.uuid4()))) == "applied"
    assert status_of(client, coordinator, appointment) == "booked"
    clock.advance(days=2)
    assert deliver(runtime, answered(appointment, "cancel")) == "applied"
    assert status_of(client, coordinator, appointment) == "booked"
    assert outbox(runtime, "scheduling.appointment-cancelled") == []
