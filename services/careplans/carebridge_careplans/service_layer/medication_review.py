"""Running the medication safety check for a plan change, and keeping and
publishing what it found (careplans.medication-alert, identifiers only)."""
from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock, outbox

from ..domain import medication_safety
from ..domain.lifecycles import OPEN_ACTIVITY_STATUSES
from ..persistence.models import AllergyProjection, CarePlan, MedicationAlert, PlanActivity
from ..persistence.queries import allergies_of, lock_plans_in_force, medications_in_force
from ..reference.medicines import medication_knowledge
from .actors import SYSTEM, Actor
from .errors import MedicationSafetyBlocked

log = logging.getLogger(__name__)


def _as_medication(activity: PlanActivity) -> medication_safety.Medication:
    return medication_safety.Medication(activity.id, frozenset(activity.ingredient_codes))


def review(session: Session, plan: CarePlan, candidates: list[PlanActivity], *, override_reason: str | None,
           plan_exists: bool) -> list[medication_safety.Finding]:
    """The findings for `candidates` against the patient's other current
    medications (this plan's as they are being edited, other plans' as
    stored) and allergies. Raises MedicationSafetyBlocked when a finding
    blocks and no override reason was given."""
    if not candidates:
        return []
    lock_plans_in_force(session, plan.patient_id)
    candidate_ids = {a.id for a in candidates}
    own = [a for a in plan.activities if a.kind == "medication" and a.status in OPEN_ACTIVITY_STATUSES
           and a.id not in candidate_ids]
    others = [a for a in medications_in_force(session, plan.patient_id) if a.plan_id != plan.id]
    allergies = [medication_safety.Allergy(a.allergy_id, a.substance_system, a.substance_code, a.criticality,
                                           a.clinical_status, a.verification_status)
                 for a in allergies_of(session, plan.patient_id)]
    findings = medication_safety.check(medication_knowledge(), [_as_medication(a) for a in candidates],
                                       [_as_medication(a) for a in own + others], allergies)
    names = {a.id: a.detail.get("name") for a in [*candidates, *own, *others]}
    findings = [_in_words(finding, names) for finding in findings]
    findings += [finding for finding in (medication_safety.unchecked(medication_knowledge(), _as_medication(a),
                                                                      a.detail.get("name") or "this medication",
                                                                      a.detail.get("rxnorm_code"))
                                         for a in candidates) if finding is not None]
    if medication_safety.blocking(findings) and not override_reason:
        raise MedicationSafetyBlocked(findings, plan_id=plan.id, patient_id=plan.patient_id,
                                      plan_version=plan.version if plan_exists else None, plan_exists=plan_exists,
                                      prescribers=prescribers_of(candidates))
    return findings


def _in_words(finding: medication_safety.Finding, names: dict) -> medication_safety.Finding:
    """The finding's text opened by the medicines it is about, as the
    prescriber named them ("lisinopril with sacubitril/valsartan: ..."), so
    a reader need not know the codes."""
    medicine, other = names.get(finding.activity_id), names.get(finding.interacting_activity_id)
    if not medicine:
        return finding
    about = f"{medicine} with {other}" if other else medicine
    return replace(finding, medicines=about, text=f"{about}: {finding.text}")


def _outcome(finding, override_reason: str | None) -> str:
    if finding.blocking:
        return "overridden" if override_reason else "blocked"
    return "accepted"


def keep_findings(session: Session, plan: CarePlan, plan_version: int, findings: list, actor: Actor, *,
                  prescribers: dict[uuid.UUID, uuid.UUID | None], override_reason: str | None = None,
                  outcome: str | None = None) -> list[MedicationAlert]:
    """Store each finding with the plan version and publish it. `outcome`
    names what happened to all of them (`blocked`: the change was refused;
    `detected`: found after the fact); else each is accepted or overridden."""
    alerts = []
    now = clock.now()
    forced = outcome
    for finding in findings:
        outcome = forced or _outcome(finding, override_reason)
        alert = MedicationAlert(
            id=uuid.uuid4(), plan_id=plan.id, patient_id=plan.patient_id, plan_version=plan_version,
            activity_id=finding.activity_id, kind=finding.kind, severity=finding.severity,
            rxnorm_codes=list(finding.rxnorm_codes), references=list(finding.references), text=finding.text,
            interacting_activity_id=finding.interacting_activity_id, allergy_id=finding.allergy_id, outcome=outcome,
            override_reason=override_reason if outcome == "overridden" else None,
            overridden_by=actor.practitioner_id if outcome == "overridden" else None,
            prescriber_id=prescribers.get(finding.activity_id), detected_at=now, detected_by=actor.subject)
        session.add(alert)
        alerts.append(alert)
        if finding.kind == medication_safety.NOT_CHECKED:
            continue  # shown with the plan's alerts; no danger found to announce (not an event kind)
        outbox.record(session, "careplans.medication-alert", {
            "alert_id": alert.id, "plan_id": plan.id, "patient_id": plan.patient_id,
            "care_team_id": plan.care_team_id, "plan_version": plan_version, "activity_id": alert.activity_id,
            "kind": alert.kind, "severity": alert.severity, "rxnorm_codes": alert.rxnorm_codes,
            "interacting_activity_id": alert.interacting_activity_id, "allergy_id": alert.allergy_id,
            "prescriber_id": alert.prescriber_id, "overridden": outcome == "overridden",
            "overridden_by": alert.overridden_by, "outcome": outcome})
    return alerts


def prescribers_of(activities: list[PlanActivity]) -> dict[uuid.UUID, uuid.UUID | None]:
    return {a.id: _uuid_or_none(a.detail.get("prescriber_id")) for a in activities}


def _uuid_or_none(value) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def keep_blocked(db, refusal: MedicationSafetyBlocked, actor: Actor) -> None:
    """A refused change rolls back, but its findings are kept (and
    published) in a transaction of their own, with the version it was tried
    on. A refused new plan has no version to keep them with: the answer
    lists them and the log records the refusal."""
    if not refusal.plan_exists:
        log.warning("a new care plan was refused by the medication safety check",
                    extra={"patient_id": str(refusal.patient_id), "count": len(refusal.findings)})
        return
    with db.transaction() as session:
        plan = session.get(CarePlan, refusal.plan_id)
        keep_findings(session, plan, refusal.plan_version, refusal.findings, actor,
                      prescribers=refusal.prescribers, outcome="blocked")
    log.warning("a care plan change was refused by the medication safety check",
                extra={"plan_id": str(refusal.plan_id), "count": len(refusal.findings)})


def review_recorded_allergy(session: Session, allergy: AllergyProjection) -> int:
    """An allergy recorded (or confirmed) after a medication was ordered: check
    the patient's current medications against it and raise a `detected`
    alert for each conflict not already raised. Returns how many."""
    found = medication_safety.Allergy(allergy.allergy_id, allergy.substance_system, allergy.substance_code,
                                      allergy.criticality, allergy.clinical_status, allergy.verification_status)
    raised = set(session.execute(select(MedicationAlert.activity_id).where(
        MedicationAlert.allergy_id == allergy.allergy_id)).scalars())
    count = 0
    by_plan: dict = {}
    for activity in medications_in_force(session, allergy.patient_id):
        if activity.id not in raised:
            by_plan.setdefault(activity.plan, []).append(activity)
    for plan, activities in by_plan.items():
        findings = medication_safety.check(medication_knowledge(), [_as_medication(a) for a in activities], [],
                                           [found])
        if findings:
            keep_findings(session, plan, plan.version, findings, SYSTEM, prescribers=prescribers_of(activities),
                          outcome="detected")
            count += len(findings)
    return count
