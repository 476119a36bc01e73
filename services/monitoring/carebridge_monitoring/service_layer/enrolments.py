"""Enrolling a patient in remote monitoring, changing the limits, ending it."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.db import get_or_404
from carebridge.errors import ConflictError, RuleViolation

from ..domain.measures import MEASURES
from ..domain.rules import LIMIT_NAMES, MAX_CONSECUTIVE, MAX_RULE_DAYS, RULE_KINDS, SEVERITIES, defaults_for
from ..persistence.models import ACTIVE_DEVICE_INDEX, Alert, Enrolment, MonitoredPatient
from .actors import Actor
from .alerts import close_alert


def announce(session: Session, enrolment: Enrolment) -> None:
    outbox.record(session, "monitoring.enrolment-changed", {
        "enrolment_id": enrolment.id, "patient_id": enrolment.patient_id, "status": enrolment.status,
        "condition": enrolment.condition, "measures": list(enrolment.measures),
        "consent_date": enrolment.consent_date, "started_at": enrolment.started_at,
        "ended_at": enrolment.ended_at, "revision": enrolment.version})


def _limits_for(measures: list[str], limits: dict) -> dict:
    return {measure: bounds for measure, bounds in limits.items() if measure in measures}


def check_limits(limits: dict, measures: list[str]) -> None:
    """Limits only for enrolled measures, low below high, critical beyond them."""
    errors = {}
    for measure, bounds in limits.items():
        if measure not in measures:
            errors[measure] = ["not a measure of this enrolment"]
            continue
        low, high = MEASURES[measure].plausible
        values = {name: bounds.get(name) for name in LIMIT_NAMES if bounds.get(name) is not None}
        if any(not low <= _decimal(v) <= high for v in values.values()):
            errors[measure] = [f"limits must lie between {low} and {high} {MEASURES[measure].canonical_unit}"]
            continue
        order = [values.get(name) for name in ("critical_low", "low", "high", "critical_high")]
        present = [_decimal(v) for v in order if v is not None]
        if present != sorted(present) or len(set(present)) != len(present):
            errors[measure] = ["limits must rise: critical_low < low < high < critical_high"]
    if errors:
        raise RuleViolation("Some limits are not usable; see errors.", errors=errors)


def check_rules(rules: list[dict], measures: list[str]) -> None:
    errors = {}
    codes = [rule.get("code") for rule in rules]
    for position, rule in enumerate(rules):
        problem = None
        if rule.get("kind") not in RULE_KINDS:
            problem = f"kind must be one of {', '.join(RULE_KINDS)}"
        elif rule.get("severity") not in SEVERITIES:
            problem = f"severity must be one of {', '.join(SEVERITIES)}"
        elif codes.count(rule.get("code")) > 1 or not rule.get("code"):
            problem = "every rule needs a code of its own"
        elif rule["kind"] in ("weight-gain", "missed-readings") and not 1 <= int(rule.get("days") or 0) <= MAX_RULE_DAYS:
            problem = f"days must be between 1 and {MAX_RULE_DAYS}"
        elif rule["kind"] == "weight-gain" and (rule.get("gain_kg") is None or _decimal(rule["gain_kg"]) <= 0):
            problem = "gain_kg must be above 0"
        elif rule["kind"] == "consecutive-over" and (rule.get("measure") not in measures
                                                     or not 2 <= int(rule.get("count") or 0) <= MAX_CONSECUTIVE):
            problem = f"needs an enrolled measure and a count between 2 and {MAX_CONSECUTIVE}"
        if problem:
            errors[str(position)] = [problem]
    if errors:
        raise RuleViolation("Some rules are not usable; see errors.", errors={"rules": errors})


def _decimal(value):
    from decimal import Decimal
    return Decimal(str(value))


def enrol(session: Session, data: dict, actor: Actor) -> Enrolment:
    patient_id = data["patient_id"]
    known = session.get(MonitoredPatient, patient_id)
    if known is not None and known.status in ("inactive", "deceased"):
        raise ConflictError("The patient's record is no longer active.")
    zone = known.time_zone if known is not None else data.get("time_zone")
    if zone is None:
        raise RuleViolation("The patient's time zone is not known here yet; give time_zone.",
                            errors={"time_zone": ["needed until the patient's registration has arrived"]})
    measures = sorted(set(data["measures"]))
    defaults = defaults_for(data["condition"])
    limits = _limits_for(measures, {**defaults["limits"], **(data.get("limits") or {})})
    rules = data["rules"] if data.get("rules") is not None else [
        rule for rule in defaults["rules"]
        if rule["kind"] == "missed-readings" or rule.get("measure", "weight" if rule["kind"] == "weight-gain" else None)
        in measures]
    check_limits(limits, measures)
    check_rules(rules, measures)
    now = clock.now()
    enrolment = Enrolment(
        id=uuid.uuid4(), patient_id=patient_id, condition=data["condition"], measures=measures,
        device_kind=data["device"]["kind"], device_serial=data["device"]["serial"],
        consent_date=data["consent_date"], time_zone=zone, status="active", limits=limits, rules=rules,
        started_at=now, enrolled_by=actor.subject, created_at=now, updated_at=now)
    session.add(enrolment)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        if ACTIVE_DEVICE_INDEX in str(error.orig) or "enrolments.device_serial" in str(error.orig):
            raise ConflictError("That device is already enrolled for another active enrolment.") from None
        raise
    announce(session, enrolment)
    return enrolment


def set_limits(session: Session, enrolment: Enrolment, data: dict) -> Enrolment:
    if enrolment.status != "active":
        raise ConflictError("The enrolment has ended.")
    limits = data["limits"]
    rules = data["rules"] if data.get("rules") is not None else enrolment.rules
    check_limits(limits, enrolment.measures)
    check_rules(rules, enrolment.measures)
    enrolment.limits, enrolment.rules = limits, rules
    enrolment.updated_at = clock.now()
    session.flush()
    announce(session, enrolment)
    return enrolment


def end_enrolment(session: Session, enrolment: Enrolment, *, reason: str, actor: Actor) -> Enrolment:
    """End monitoring: no more readings or alerts; open alerts close."""
    if enrolment.status != "active":
        raise ConflictError("The enrolment has already ended.")
    now = clock.now()
    enrolment.status, enrolment.ended_at, enrolment.end_reason, enrolment.updated_at = "ended", now, reason, now
    session.flush()
    for alert in session.scalars(select(Alert).where(Alert.enrolment_id == enrolment.id, Alert.status == "open")):
        close_alert(session, alert, reason="enrolment-ended", action_code=None, note=None, actor=actor)
    announce(session, enrolment)
    return enrolment


def load_enrolment(session: Session, enrolment_id: uuid.UUID) -> Enrolment:
    return get_or_404(session, Enrolment, enrolment_id, "enrolment")


def active_enrolment_of(session: Session, patient_id: uuid.UUID) -> Enrolment | None:
    return session.scalars(select(Enrolment).where(Enrolment.patient_id == patient_id, Enrolment.status == "active")
                           .order_by(Enrolment.started_at.desc())).first()
