"""Taking readings in: from staff and patient apps one at a time, from device
gateways in batches of up to 1,000.

Each reading is matched to its active enrolment (by patient and measure, or
by the enrolled device), converted to its measure's canonical unit and
checked for plausibility; a refused reading is reported with why and stored
nowhere. Stored readings are inserted once per enrolment, device, measure and
time taken (a retried batch stores nothing twice), in one statement per
batch; only the readings stored now are evaluated against the enrolment's
limits and trend rules, with its recent readings loaded in one query.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from carebridge import clock, outbox

from ..domain.measures import MEASURES, ImplausibleReading, to_canonical
from ..domain.rules import MAX_CONSECUTIVE, MAX_RULE_DAYS, ReadingFact, evaluate, local_day
from ..persistence.inserts import insert_ignoring_conflicts
from ..persistence.models import Enrolment, Reading, ReadingDay
from .alerts import open_or_join
from .enrolments import touch_last_reading

MANUAL_DEVICE = "manual"
# A device clock a little ahead is tolerated; more is a wrong clock.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass
class Outcome:
    index: int
    status: str                      # stored, duplicate, refused
    reading_id: uuid.UUID | None = None
    enrolment_id: uuid.UUID | None = None
    patient_id: uuid.UUID | None = None
    errors: dict = field(default_factory=dict)


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    alerts_opened: list[uuid.UUID]

    @property
    def stored(self) -> int:
        return sum(o.status == "stored" for o in self.outcomes)

    @property
    def duplicates(self) -> int:
        return sum(o.status == "duplicate" for o in self.outcomes)

    @property
    def refused(self) -> int:
        return sum(o.status == "refused" for o in self.outcomes)


def _enrolments_for(session: Session, items: list[dict]) -> tuple[dict, dict]:
    patients = {item["patient_id"] for item in items if item.get("patient_id")}
    serials = {item["device_serial"] for item in items if item.get("device_serial")}
    conditions = []
    if patients:
        conditions.append(Enrolment.patient_id.in_(patients))
    if serials:
        conditions.append(Enrolment.device_serial.in_(serials))
    if not conditions:
        return {}, {}
    by_patient: dict = defaultdict(list)
    by_serial: dict = {}
    for enrolment in session.scalars(select(Enrolment).where(Enrolment.status == "active", or_(*conditions))):
        by_patient[enrolment.patient_id].append(enrolment)
        by_serial[enrolment.device_serial] = enrolment
    return by_patient, by_serial


def _match(item: dict, by_patient: dict, by_serial: dict) -> Enrolment | None:
    serial = item.get("device_serial")
    if item.get("patient_id"):
        candidates = [e for e in by_patient.get(item["patient_id"], ()) if item["measure"] in e.measures]
        return next((e for e in candidates if e.device_serial == serial), candidates[0] if candidates else None)
    enrolment = by_serial.get(serial)
    return enrolment if enrolment is not None and item["measure"] in enrolment.measures else None


def ingest(session: Session, items: list[dict], *, source: str, check_patient=None) -> BatchResult:
    """Store, deduplicate and evaluate readings. `check_patient(patient_id)`
    is called once per patient the readings belong to (the caller's access)."""
    now = clock.now()
    by_patient, by_serial = _enrolments_for(session, items)
    outcomes: list[Outcome] = []
    rows: list[dict] = []
    for index, item in enumerate(items):
        enrolment = _match(item, by_patient, by_serial)
        if enrolment is None:
            outcomes.append(Outcome(index, "refused", errors={
                "enrolment": ["no active monitoring enrolment of this patient or device for this measure"]}))
            continue
        if item["taken_at"] > now + FUTURE_TOLERANCE:
            outcomes.append(Outcome(index, "refused", enrolment_id=enrolment.id, patient_id=enrolment.patient_id,
                                    errors={"taken_at": ["in the future"]}))
            continue
        try:
            value, value2 = to_canonical(item["measure"], item["value"], item["unit"], item.get("diastolic"))
        except ImplausibleReading as refusal:
            outcomes.append(Outcome(index, "refused", enrolment_id=enrolment.id, patient_id=enrolment.patient_id,
                                    errors={refusal.field: [refusal.message]}))
            continue
        reading_id = uuid.uuid4()
        outcomes.append(Outcome(index, "stored", reading_id, enrolment.id, enrolment.patient_id))
        rows.append({"id": reading_id, "enrolment_id": enrolment.id, "patient_id": enrolment.patient_id,
                     "measure": item["measure"], "value": value, "value2": value2,
                     "unit": MEASURES[item["measure"]].canonical_unit, "sent_unit": item["unit"],
                     "device_serial": item.get("device_serial") or MANUAL_DEVICE, "source": source,
                     "taken_at": item["taken_at"], "received_at": now})
    if check_patient is not None:
        for patient_id in sorted({o.patient_id for o in outcomes if o.patient_id}, key=str):
            check_patient(patient_id)
    stored_ids = _insert(session, rows)
    for outcome in outcomes:
        if outcome.status == "stored" and outcome.reading_id not in stored_ids:
            outcome.status, outcome.reading_id = "duplicate", None
    new_rows = [row for row in rows if row["id"] in stored_ids]
    enrolments = {e.id: e for e in by_serial.values()}
    alerts = _after_storing(session, new_rows, enrolments) if new_rows else []
    return BatchResult(outcomes, alerts)


def _insert(session: Session, rows: list[dict]) -> set[uuid.UUID]:
    if not rows:
        return set()
    statement = insert_ignoring_conflicts(
        session, Reading, index_elements=["enrolment_id", "device_serial", "measure", "taken_at"]
    ).returning(Reading.id)
    return set(session.scalars(statement, rows).all())


def _after_storing(session: Session, rows: list[dict], enrolments: dict) -> list[uuid.UUID]:
    by_enrolment: dict = defaultdict(list)
    for row in rows:
        by_enrolment[row["enrolment_id"]].append(row)
    _count_days(session, by_enrolment, enrolments)
    history = _recent_readings(session, by_enrolment)
    opened = []
    for enrolment_id, new in sorted(by_enrolment.items(), key=lambda item: str(item[0])):
        enrolment = enrolments[enrolment_id]
        touch_last_reading(session, enrolment_id, max(row["taken_at"] for row in new))
        facts = [ReadingFact(r["id"], r["measure"], r["value"], r["value2"], r["taken_at"]) for r in new]
        findings = evaluate(facts, history.get(enrolment_id, []), enrolment.limits, enrolment.rules,
                            enrolment.time_zone)
        for finding in sorted(findings, key=lambda f: f.rule_code):
            alert_id, is_new = open_or_join(session, enrolment, finding)
            if is_new:
                opened.append(alert_id)
    return opened


def _count_days(session: Session, by_enrolment: dict, enrolments: dict) -> None:
    """Record each new calendar day with a reading; announce the new ones."""
    days = [{"enrolment_id": enrolment_id, "day": day}
            for enrolment_id, new in by_enrolment.items()
            for day in sorted({local_day(row["taken_at"], enrolments[enrolment_id].time_zone) for row in new})]
    statement = insert_ignoring_conflicts(session, ReadingDay, index_elements=["enrolment_id", "day"]
                                          ).returning(ReadingDay.enrolment_id, ReadingDay.day)
    added: dict = defaultdict(list)
    for enrolment_id, day in session.execute(statement, days).all():
        added[enrolment_id].append(day)
    for enrolment_id, new_days in sorted(added.items(), key=lambda item: str(item[0])):
        outbox.record(session, "monitoring.reading-days-recorded", {
            "enrolment_id": enrolment_id, "patient_id": enrolments[enrolment_id].patient_id,
            "days": sorted(new_days)})


def _recent_readings(session: Session, by_enrolment: dict) -> dict:
    """The enrolments' readings the trend rules may look back on, in one query:
    MAX_RULE_DAYS (+1 for the time zone) before the oldest new reading."""
    oldest = min(row["taken_at"] for rows in by_enrolment.values() for row in rows)
    newest = max(row["taken_at"] for rows in by_enrolment.values() for row in rows)
    history: dict = defaultdict(list)
    statement = (select(Reading.id, Reading.enrolment_id, Reading.measure, Reading.value, Reading.value2,
                        Reading.taken_at)
                 .where(Reading.enrolment_id.in_(list(by_enrolment)),
                        Reading.taken_at >= oldest - timedelta(days=MAX_RULE_DAYS + 1),
                        Reading.taken_at <= newest))
    for reading_id, enrolment_id, measure, value, value2, taken_at in session.execute(statement):
        history[enrolment_id].append(ReadingFact(reading_id, measure, value, value2, taken_at))
    return history


def single(session: Session, item: dict, *, source: str, check_patient) -> Outcome:
    return ingest(session, [item], source=source, check_patient=check_patient).outcomes[0]


__all__ = ["ingest", "single", "BatchResult", "Outcome", "MAX_CONSECUTIVE"]
