"""/fhir/R4: the patients service's records in FHIR R4, with the same access
rules as its own API (clinical readers for allergies; billing staff also
for demographics, family and care teams; the directory for every role)."""
from __future__ import annotations

from sqlalchemy import select

from carebridge.auth import ROLES
from carebridge.fhir import FhirResource, FhirSource, SearchParam, fhir_blueprint

from ..fhir.resources import (allergy_resource, care_team_resource, consent_resource, patient_resource,
                              practitioner_resource, practitioner_role_resource, related_person_resource)
from ..persistence.models import Allergy, CareTeam, Patient, Practitioner, RelatedPerson
from .access_rules import SEES_CLINICAL, SEES_DEMOGRAPHICS

_DEMOGRAPHICS = dict(roles=SEES_DEMOGRAPHICS, also_allowed_roles=("billing",))


def _consented():
    return select(RelatedPerson).where(RelatedPerson.consent_recorded_at.is_not(None))


blp = fhir_blueprint("patients", [
    FhirResource("Patient", audit_type="patient", patient_param="_id", patient_of=lambda patient: patient.id,
                 sources=(FhirSource(Patient, patient_resource, updated=Patient.updated_at, patient=Patient.id),),
                 **_DEMOGRAPHICS),
    FhirResource("RelatedPerson", audit_type="related-person", sources=(FhirSource(
        RelatedPerson, related_person_resource, updated=RelatedPerson.updated_at, patient=RelatedPerson.patient_id,
        params=(SearchParam("active", "token", "true or false", RelatedPerson.active,
                            codes=lambda code: [code == "true"]),)),), **_DEMOGRAPHICS),
    FhirResource("Consent", audit_type="related-person", sources=(FhirSource(
        RelatedPerson, consent_resource, updated=RelatedPerson.updated_at, patient=RelatedPerson.patient_id,
        base=_consented, params=(
            SearchParam("status", "token", "active or inactive (withdrawn)", RelatedPerson.consent_withdrawn_at,
                        where=lambda code: (RelatedPerson.consent_withdrawn_at.is_(None) if code == "active"
                                            else RelatedPerson.consent_withdrawn_at.is_not(None))),
            SearchParam("date", "date", "When the consent was recorded", RelatedPerson.consent_recorded_at))),),
        **_DEMOGRAPHICS),
    FhirResource("CareTeam", audit_type="care-team", sources=(FhirSource(
        CareTeam, care_team_resource, updated=CareTeam.updated_at, patient=CareTeam.patient_id,
        params=(SearchParam("status", "token", "proposed, active, suspended or inactive", CareTeam.status),)),),
        **_DEMOGRAPHICS),
    FhirResource("AllergyIntolerance", audit_type="allergy", roles=SEES_CLINICAL, sources=(FhirSource(
        Allergy, allergy_resource, updated=Allergy.updated_at, patient=Allergy.patient_id, params=(
            SearchParam("clinical-status", "token", "active, inactive or resolved", Allergy.clinical_status),
            SearchParam("date", "date", "When it was recorded", Allergy.recorded_at))),)),
    FhirResource("Practitioner", audit_type="practitioner", patient_data=False, roles=ROLES, sources=(FhirSource(
        Practitioner, practitioner_resource, updated=Practitioner.updated_at, params=(
            SearchParam("identifier", "token", "The NPI (http://hl7.org/fhir/sid/us-npi|NPI)", Practitioner.npi),
            SearchParam("active", "token", "true or false", Practitioner.active,
                        codes=lambda code: [code == "true"]))),)),
    FhirResource("PractitionerRole", audit_type="practitioner", patient_data=False, roles=ROLES, sources=(FhirSource(
        Practitioner, practitioner_role_resource, updated=Practitioner.updated_at, params=(
            SearchParam("practitioner", "reference", "The practitioner (Practitioner/<id>)", Practitioner.id,
                        target="Practitioner"),
            SearchParam("role", "token", "The CareBridge role (nurse, physician, ...)", Practitioner.role))),)),
])
