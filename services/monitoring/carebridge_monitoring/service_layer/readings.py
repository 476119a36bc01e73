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

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from carebridge import clock, outbox

from ..domain.measures import MEASURES, ImplausibleReading, to_canonical
from ..domain.rules import MAX_CONSECUTIVE, ReadingFact, evaluate, local_day
from ..persistence.inserts import insert_days, insert_readings
from ..persistence.models import Enrolment, Reading, ReadingDay
from .alerts import open_or_join_all

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
    return insert_readings(session, Reading.__table__, rows)


def _after_storing(session: Session, rows: list[dict], enrolments: dict) -> list[uuid.UUID]:
    by_enrolment: dict = defaultdict(list)
    for row in rows:
        by_enrolment[row["enrolment_id"]].append(row)
    _count_days(session, by_enrolment, enrolments)
    history = _recent_readings(session, by_enrolment, enrolments)
    findings = []
    for enrolment_id, new in by_enrolment.items():
        enrolment = enrolments[enrolment_id]
        facts = [ReadingFact(r["id"], r["measure"], r["value"], r["value2"], r["taken_at"]) for r in new]
        findings += [(enrolment, finding) for finding in evaluate(
            facts, history.get(enrolment_id, []), enrolment.limits, enrolment.rules, enrolment.time_zone)]
    return open_or_join_all(session, findings)


def _count_days(session: Session, by_enrolment: dict, enrolments: dict) -> None:
    """Record each new calendar day with a reading; announce the new ones."""
    days = [{"enrolment_id": enrolment_id, "day": day}
            for enrolment_id, new in by_enrolment.items()
            for day in sorted({local_day(row["taken_at"], enrolments[enrolment_id].time_zone) for row in new})]
    added: dict = defaultdict(list)
    for enrolment_id, day in insert_days(session, ReadingDay.__table__, days):
        added[enrolment_id].append(day)
    for enrolment_id, new_days in sorted(added.items(), key=lambda item: str(item[0])):
        outbox.record(session, "monitoring.reading-days-recorded", {
            "enrolment_id": enrolment_id, "patient_id": enrolments[enrolment_id].patient_id,
            "days": sorted(new_days)})


def _recent_readings(session: Session, by_enrolment: dict, enrolments: dict) -> dict:
    """What the enrolments' trend rules look back on, in one query per kind
    of rule: weights of the longest weight-gain window (a day more for the
    time zone) before the oldest new one, and the last readings of each
    measure a consecutive rule counts (as many as the rule, plus the new ones)."""
    history: dict = defaultdict(list)
    columns = (Reading.id, Reading.enrolment_id, Reading.measure, Reading.value, Reading.value2, Reading.taken_at)
    weight_days: dict = {}
    consecutive: dict = defaultdict(int)
    for enrolment_id in by_enrolment:
        for rule in enrolments[enrolment_id].rules:
            if rule["kind"] == "weight-gain":
                weight_days[enrolment_id] = max(weight_days.get(enrolment_id, 0), int(rule["days"]))
            elif rule["kind"] == "consecutive-over":
                consecutive[rule["measure"]] = max(consecutive[rule["measure"]], int(rule["count"]))
    if weight_days:
        new_weights = [row["taken_at"] for e in weight_days for row in by_enrolment[e] if row["measure"] == "weight"]
        if new_weights:
            since = min(new_weights) - timedelta(days=max(weight_days.values()) + 1)
            statement = select(*columns).where(Reading.enrolment_id.in_(list(weight_days)), Reading.measure == "weight",
                                               Reading.taken_at >= since, Reading.taken_at <= max(new_weights))
            for row in session.execute(statement):
                history[row.enrolment_id].append(ReadingFact(row.id, row.measure, row.value, row.value2, row.taken_at))
    for measure, count in consecutive.items():
        new = {e: [row for row in rows if row["measure"] == measure] for e, rows in by_enrolment.items()}
        new = {e: rows for e, rows in new.items() if rows}
        if not new:
            continue
        keep = count + max(len(rows) for rows in new.values())
        ranked = (select(*columns, func.row_number().over(partition_by=Reading.enrolment_id,
                                                          order_by=Reading.taken_at.desc()).label("rank"))
                  .where(Reading.enrolment_id.in_(list(new)), Reading.measure == measure,
                         Reading.taken_at <= max(row["taken_at"] for rows in new.values() for row in rows))
                  .subquery())
        for row in session.execute(select(ranked).where(ranked.c.rank <= keep)):
            history[row.enrolment_id].append(ReadingFact(row.id, row.measure, row.value, row.value2, row.taken_at))
    return history


def single(session: Session, item: dict, *, source: str, check_patient) -> Outcome:
    return ingest(session, [item], source=source, check_patient=check_patient).outcomes[0]


__all__ = ["ingest", "single", "BatchResult", "Outcome", "MAX_CONSECUTIVE"]
