"""notifications.delivery-failed: a patient who cannot be reached becomes a
contact check for the lead coordinator (issue 25, item 6: every event is acted on)."""
import uuid

from sqlalchemy import select

from carebridge.testing import deliver, make_event
from carebridge_careplans.persistence.models import Task


def failed(patient_id, recipient_type="patient", channel="email", recipient_id=None):
    return make_event("notifications.delivery-failed", {
        "delivery_id": uuid.uuid4(), "notification_id": uuid.uuid4(), "source_event_id": uuid.uuid4(),
        "source_event_type": "scheduling.appointment-booked", "patient_id": patient_id,
        "recipient_type": recipient_type, "recipient_id": recipient_id or patient_id, "channel": channel,
        "attempts": 5, "reason": "bounced"})


def contact_checks(runtime):
    with runtime.db.transaction() as session:
        return session.scalars(select(Task).where(Task.open_key.like("unreachable:%"))).all()


def test_a_bounced_email_to_the_patient_opens_one_contact_check(runtime, team):
    assert deliver(runtime, failed(team.patient_id)) == "applied"
    deliver(runtime, failed(team.patient_id))  # another bounce while the check is open
    [task] = contact_checks(runtime)
    assert task.owner_id == team.coordinator_id and "email" in task.reason and "bounced" in task.reason


def test_failures_to_staff_family_webhooks_or_unknown_patients_open_nothing(runtime, team):
    deliver(runtime, failed(team.patient_id, recipient_type="practitioner", recipient_id=team.nurse_id))
    deliver(runtime, failed(team.patient_id, recipient_type="related-person", recipient_id=uuid.uuid4()))
    deliver(runtime, failed(team.patient_id, channel="inapp"))
    deliver(runtime, failed(uuid.uuid4()))
    assert contact_checks(runtime) == []
