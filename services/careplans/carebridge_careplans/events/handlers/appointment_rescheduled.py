"""scheduling.appointment-rescheduled: a booked follow-up keeps its visit's new time."""
from ...service_layer import visits
from ..parking import parking_unknown_references


def keep_visit_time(session, event) -> None:
    with parking_unknown_references(session, event):
        visits.appointment_rescheduled(session, event.data, event.id)
