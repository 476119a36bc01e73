"""scheduling.appointment-cancelled: the plan's visit needs booking again."""
from ...service_layer import visits
from ..parking import parks_unknown_references


@parks_unknown_references
def reopen_cancelled_visit(session, event) -> None:
    visits.appointment_cancelled(session, event.data, event.id)
