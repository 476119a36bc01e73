"""Remote patient monitoring: keeping what the monitoring service tells, and
charging each patient's calendar month once it has ended.

The month-end job charges each month once its last day is over everywhere
plus `MONITORING_MONTH_CLOSE_HOURS` (late readings from gateways still count),
and each code and period at most once per patient: the unique key of
`monitoring_charges` settles two workers running the job together.
"""
from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.service import Runtime

from ..domain.monitoring import (DEVICE_DAYS, EACH_FURTHER_20_MINUTES, FIRST_20_MINUTES, SET_UP, month_charges,
                                 month_of, period_name)
from ..persistence.charges import Charge
from ..persistence.coverages import primary_coverage_on
from ..persistence.monitoring import MonitoringCharge, MonitoringDay, MonitoringEnrolment, MonitoringMinutes
from ..reference import fee_schedule
from .claims import open_draft_claim
from .common import SYSTEM

log = logging.getLogger(__name__)
# A calendar day ends at most 14 hours after it ends in UTC (UTC+14).
LATEST_ZONE = timedelta(hours=14)


def _insert_ignoring_conflicts(session: Session, model, **conflict):
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(**conflict)


def keep_enrolment(session: Session, data: dict) -> None:
    held = session.get(MonitoringEnrolment, data["enrolment_id"], with_for_update=True)
    if held is None:
        session.add(MonitoringEnrolment(enrolment_id=data["enrolment_id"], patient_id=data["patient_id"],
                                        status=data["status"], started_at=data["started_at"],
                                        revision=data["revision"], set_up_charged=False))
    elif held.revision < data["revision"]:
        held.status, held.revision = data["status"], data["revision"]


def keep_days(session: Session, data: dict) -> None:
    session.execute(_insert_ignoring_conflicts(session, MonitoringDay, index_elements=["enrolment_id", "day"]),
                    [{"enrolment_id": data["enrolment_id"], "day": day, "patient_id": data["patient_id"]}
                     for day in data["days"]])


def keep_minutes(session: Session, data: dict) -> None:
    session.execute(_insert_ignoring_conflicts(session, MonitoringMinutes, index_elements=["time_entry_id"]),
                    [{"time_entry_id": data["time_entry_id"], "patient_id": data["patient_id"],
                      "enrolment_id": data["enrolment_id"], "minutes": data["minutes"],
                      "performed_on": data["performed_on"]}])


def last_closed_month(now: datetime, close_after: timedelta) -> date:
    """The first day of the newest calendar month whose last day ended
    everywhere (UTC+14) at least `close_after` ago."""
    first_day_not_over = (now - LATEST_ZONE - close_after).date()
    return month_of(first_day_not_over.replace(day=1) - timedelta(days=1))[0]


def _charge(session: Session, patient_id: uuid.UUID, code: str, period: str, on: date, settings) -> Charge | None:
    """One charge of `code` for `period`, unless that period already has one."""
    if session.scalar(select(MonitoringCharge.id).where(MonitoringCharge.patient_id == patient_id,
                                                        MonitoringCharge.service_code == code,
                                                        MonitoringCharge.period == period)):
        return None
    entry = fee_schedule().price_on(code, on)
    if entry is None:
        log.error("no fee-schedule price for a monitoring code", extra={"service_code": code})
        return None
    charge = Charge(id=uuid.uuid4(), patient_id=patient_id, appointment_id=None, service_code=code,
                    appointment_type_code=None, category=entry.category, service_date=on, amount=entry.price,
                    currency=entry.currency, status="self-pay", created_at=clock.now())
    session.add(charge)
    session.flush()
    claimed = session.execute(
        _insert_ignoring_conflicts(session, MonitoringCharge,
                                   index_elements=["patient_id", "service_code", "period"])
        .values(patient_id=patient_id, service_code=code, period=period, charge_id=charge.id,
                created_at=clock.now()).returning(MonitoringCharge.id)).scalar()
    if claimed is None:
        session.delete(charge)
        session.flush()
        return None
    coverage = primary_coverage_on(session, patient_id, on)
    if coverage is not None:
        charge.status = "billed"
        open_draft_claim(session, charge, coverage, settings, actor=SYSTEM)
    return charge


def charge_month(session: Session, patient_id: uuid.UUID, first: date, settings) -> list[Charge]:
    """Every monitoring charge of one patient's calendar month (those not yet made)."""
    _, last = month_of(first)
    days = session.scalar(select(func.count(func.distinct(MonitoringDay.day))).where(
        MonitoringDay.patient_id == patient_id, MonitoringDay.day.between(first, last))) or 0
    minutes = session.scalar(select(func.sum(MonitoringMinutes.minutes)).where(
        MonitoringMinutes.patient_id == patient_id, MonitoringMinutes.performed_on.between(first, last))) or 0
    earned = month_charges(days, minutes)
    period = period_name(first)
    made = []
    if earned.device_days:
        made.append(_charge(session, patient_id, DEVICE_DAYS, period, last, settings))
        for enrolment in session.scalars(select(MonitoringEnrolment).where(
                MonitoringEnrolment.patient_id == patient_id, MonitoringEnrolment.set_up_charged.is_(False),
                MonitoringEnrolment.enrolment_id.in_(select(MonitoringDay.enrolment_id).where(
                    MonitoringDay.patient_id == patient_id, MonitoringDay.day.between(first, last))))):
            made.append(_charge(session, patient_id, SET_UP, f"enrolment:{enrolment.enrolment_id}", last, settings))
            enrolment.set_up_charged = True
    if earned.first_20_minutes:
        made.append(_charge(session, patient_id, FIRST_20_MINUTES, period, last, settings))
    for unit in range(1, earned.further_20_minutes + 1):
        made.append(_charge(session, patient_id, EACH_FURTHER_20_MINUTES, f"{period}#{unit}", last, settings))
    return [charge for charge in made if charge is not None]


def charge_ended_months(session: Session, now: datetime) -> int:
    """The month-end run: charge every patient with monitoring activity in
    the newest closed month (and the one before, for a run that was missed)."""
    settings = Runtime.of(session).service_settings
    newest = last_closed_month(now, timedelta(hours=settings.monitoring_month_close_hours))
    months = [month_of(newest - timedelta(days=1))[0], newest]
    charged = 0
    for first in months:
        _, last = month_of(first)
        patients = set(session.scalars(select(MonitoringDay.patient_id).where(MonitoringDay.day.between(first, last))))
        patients |= set(session.scalars(select(MonitoringMinutes.patient_id).where(
            MonitoringMinutes.performed_on.between(first, last))))
        for patient_id in sorted(patients, key=str):
            charged += len(charge_month(session, patient_id, first, settings))
    return charged
