"""scheduling.appointment-*: whose the visit is, for the checks of the ids
check-ins and tasks name (service_layer/references.py)."""
from ...service_layer import references


def remember_whose_appointment(session, event) -> None:
    references.remember_appointment(session, event.data["appointment_id"], event.data["patient_id"])
