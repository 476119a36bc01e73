"""scheduling.appointment-booked: the plan's visit is now scheduled."""
from ...service_layer import visits
from ..parking import parking_unknown_references


def mark_visit_booked(session, event) -> None:
    with parking_unknown_references(session, event):
        visits.appointment_booked(session, event.data, event.id)
