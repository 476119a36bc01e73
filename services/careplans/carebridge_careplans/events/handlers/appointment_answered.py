"""notifications.appointment-answered: a request for another time, made on
the secure message page, becomes a task for the coordinator (a cancellation
reaches this service as scheduling.appointment-cancelled)."""
from ...service_layer import reaching_patients
from ..parking import parking_unknown_references


def open_reschedule_task(session, event) -> None:
    with parking_unknown_references(session, event):
        reaching_patients.reschedule_requested(session, event.data)
