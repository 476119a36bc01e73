"""The events this service publishes, built from its records. Payloads carry
identifiers, codes and the contact points consumers need to reach people;
never names, birth dates or clinical text."""
from __future__ import annotations

from sqlalchemy.orm import Session

from carebridge import outbox

from ..domain.training import IN_TRAINING
from ..persistence.models import Allergy, CareTeam, Patient, Practitioner, PractitionerTraining, RelatedPerson


def _contact_points(points: list[dict]) -> list[dict]:
    return [{"system": p["system"], "value": p["value"], "use": p.get("use")} for p in points]


def _reachability(patient: Patient) -> dict:
    return {
        "patient_id": patient.id,
        "revision": patient.version,
        "mrn": patient.mrn,
        "status": patient.status,
        "preferred_language": patient.preferred_language,
        "time_zone": patient.time_zone,
        "clinical_setting": patient.clinical_setting,
        "facility_location_id": patient.facility_location_id,
        "contact_points": _contact_points(patient.contact_points),
        "communication": patient.communication,
    }


def patient_registered(session: Session, patient: Patient) -> None:
    outbox.record(session, "patients.patient-registered", _reachability(patient))


def patient_updated(session: Session, patient: Patient, changed_fields: list[str]) -> None:
    outbox.record(session, "patients.patient-updated", {**_reachability(patient), "changed_fields": changed_fields})


def practitioner_changed(session: Session, practitioner: Practitioner) -> None:
    outbox.record(session, "patients.practitioner-changed", {
        "practitioner_id": practitioner.id,
        "revision": practitioner.version,
        "role": practitioner.role,
        "specialty": practitioner.specialty,
        "active": practitioner.active,
        "time_zone": practitioner.time_zone,
        "preferred_language": practitioner.preferred_language,
        "contact_points": _contact_points(practitioner.contact_points),
    })


def care_team_members(team: CareTeam) -> list[dict]:
    """Every membership, ended ones included, as the event and the access
    projection hold them."""
    return [{"membership_id": m.id, "practitioner_id": m.practitioner_id, "role": m.role,
             "period_start": m.period_start, "period_end": m.period_end} for m in team.memberships]


def care_team_changed(session: Session, team: CareTeam) -> None:
    outbox.record(session, "patients.care-team-changed", {
        "care_team_id": team.id,
        "patient_id": team.patient_id,
        "revision": team.version,
        "status": team.status,
        "category": team.category,
        "lead_coordinator_id": team.lead_coordinator_id,
        "members": care_team_members(team),
    })


def related_person_changed(session: Session, person: RelatedPerson) -> None:
    consent = person.consent
    outbox.record(session, "patients.related-person-changed", {
        "related_person_id": person.id,
        "patient_id": person.patient_id,
        "revision": person.version,
        "active": person.active,
        "relationship": person.relationship,
        "preferred_language": person.preferred_language,
        "time_zone": person.time_zone,
        "contact_points": _contact_points(person.contact_points),
        "communication": person.communication,
        "consent": {**consent.scopes(), "recorded_by": consent.recorded_by, "recorded_at": consent.recorded_at,
                    "withdrawn_by": consent.withdrawn_by, "withdrawn_at": consent.withdrawn_at},
    })


def allergy_changed(session: Session, allergy: Allergy) -> None:
    outbox.record(session, "patients.allergy-changed", {
        "allergy_id": allergy.id,
        "patient_id": allergy.patient_id,
        "revision": allergy.version,
        "substance_system": allergy.substance_system,
        "substance_code": allergy.substance_code,
        "category": allergy.category,
        "criticality": allergy.criticality,
        "severity": allergy.severity,
        "clinical_status": allergy.clinical_status,
        "verification_status": allergy.verification_status,
    })


def training_changed(session: Session, training: PractitionerTraining) -> None:
    outbox.record(session, "patients.practitioner-training-changed", {
        "practitioner_id": training.practitioner_id,
        "revision": training.version,
        "mentor_id": training.mentor_id,
        "in_training": training.status == IN_TRAINING,
    })
