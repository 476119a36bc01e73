"""notifications.delivery-failed: a patient or family member nobody can
reach becomes a "patient unreachable" task for the care team."""
from ...service_layer import reaching_patients
from ..parking import parking_unknown_references


def open_unreachable_task(session, event) -> None:
    with parking_unknown_references(session, event):
        reaching_patients.unreachable(session, event.data)
