"""scheduling.appointment-completed: complete the visit's activity and open
a check-in task due within 48 hours."""
from ...service_layer import visits
from ..parking import parks_unknown_references


@parks_unknown_references
def complete_visit_and_plan_check_in(session, event) -> None:
    visits.appointment_completed(session, event.data, event.id)
