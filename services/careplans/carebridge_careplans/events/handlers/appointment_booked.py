"""scheduling.appointment-booked: the plan's visit is now scheduled."""
from ...service_layer import visits
from ..parking import parks_unknown_references


@parks_unknown_references
def mark_visit_booked(session, event) -> None:
    visits.appointment_booked(session, event.data, event.id)
