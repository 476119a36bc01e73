"""scheduling.appointment-cancelled: the plan's visit needs booking again."""
from ...service_layer import visits
from ..parking import parking_unknown_references


def reopen_cancelled_visit(session, event) -> None:
    with parking_unknown_references(session, event):
        visits.appointment_cancelled(session, event.data, event.id)
