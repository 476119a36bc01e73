"""patients.allergy-changed: the allergy projection the medication safety
check reads; an allergy recorded after a drug was ordered is checked against
the patient's current medications at once."""
from ...service_layer.medication_review import review_recorded_allergy
from ...service_layer.projections import apply_allergy


def keep_allergy(session, event) -> None:
    allergy = apply_allergy(session, event.data)
    if allergy is not None:
        review_recorded_allergy(session, allergy)
