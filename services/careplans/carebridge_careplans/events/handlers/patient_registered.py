"""patients.patient-registered: the patient is known here from now on."""
from ...service_layer.projections import apply_patient
from ..parking import replay_parked


def know_patient(session, event) -> None:
    apply_patient(session, event.data)
    replay_parked(session, event.data["patient_id"])
