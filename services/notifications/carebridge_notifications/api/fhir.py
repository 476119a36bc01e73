"""/fhir/R4: who was told what about a patient, as FHIR R4 Communications,
for staff on the care-team rules (as /notifications?patient_id=)."""
from __future__ import annotations

from sqlalchemy import select

from carebridge.auth.roles import STAFF_ROLES
from carebridge.fhir import FhirResource, FhirSource, SearchParam, fhir_blueprint

from ..fhir.resources import communication_resource
from ..persistence.notifications import Notification


def _about_a_patient():
    return select(Notification).where(Notification.patient_id.is_not(None))


blp = fhir_blueprint("notifications", [
    FhirResource("Communication", audit_type="notification", roles=STAFF_ROLES, sources=(FhirSource(
        Notification, communication_resource, updated=Notification.created_at, patient=Notification.patient_id,
        base=_about_a_patient, params=(
            SearchParam("sent", "date", "When it was made", Notification.created_at),
            SearchParam("category", "token", "appointments, care_plan, billing, tasks or medication_safety",
                        Notification.category))),)),
])
