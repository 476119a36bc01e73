"""notifications.check-in-answered: a patient (or relative) who says, on the
secure message page, that the patient feels worse gets a call from the care
team: an urgent check-in task. Better or the same needs nothing here."""
from ...service_layer import reaching_patients
from ..parking import parking_unknown_references


def open_task_when_worse(session, event) -> None:
    with parking_unknown_references(session, event):
        reaching_patients.worse_check_in(session, event.data)
