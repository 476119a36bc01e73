"""scheduling.appointment-completed: complete the visit's activity and open
a check-in task due within 48 hours."""
from ...service_layer import visits
from ..parking import parking_unknown_references


def complete_visit_and_plan_check_in(session, event) -> None:
    with parking_unknown_references(session, event):
        visits.appointment_completed(session, event.data, event.id)
