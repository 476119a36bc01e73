"""patients.patient-updated: whether the patient is still active (no outreach
for a patient who died or left)."""
from ...service_layer.projections import apply_patient
from ..parking import replay_parked


def keep_patient_status(session, event) -> None:
    apply_patient(session, event.data)
    replay_parked(session, event.data["patient_id"])
