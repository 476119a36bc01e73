"""scheduling.appointment-missed: an urgent outreach task for the team's lead
coordinator ("reach the patient and rebook"); the follow-up needs booking
again."""
from ...service_layer import visits
from ..parking import parking_unknown_references


def open_outreach_task(session, event) -> None:
    with parking_unknown_references(session, event):
        visits.appointment_missed(session, event.data, event.id)
