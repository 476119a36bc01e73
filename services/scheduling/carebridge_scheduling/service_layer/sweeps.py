"""The periodic sweeps' work. Each claims its rows in the database, so any
number of workers can run it at the same time and every event still goes
out exactly once."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from carebridge import outbox
from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge.service import Runtime

from ..domain import reminders
from ..domain.statuses import BOOKED, NOSHOW
from ..persistence.inserts import insert_if_absent
from ..persistence.models import Appointment, AppointmentReminder
from .announcements import appointment_facts

SENT, SKIPPED = "sent", "skipped"


def mark_missed(session: Session, now: datetime, batch: int = 200) -> int:
    """Booked visits not checked in by start + grace become no-shows, each
    announced once: the conditional UPDATE (still `booked`?) lets exactly one
    sweeper claim each row, however many run at once."""
    settings = Runtime.of(session).service_settings
    grace, grace_minutes = settings.noshow_grace, settings.noshow_grace_minutes
    overdue = (select(Appointment.id)
               .where(Appointment.status == BOOKED, Appointment.start_at <= now - grace)
               .order_by(Appointment.start_at).limit(batch)
               .with_for_update(skip_locked=True))
    claimed = session.scalars(
        update(Appointment)
        .where(Appointment.id.in_(overdue), Appointment.status == BOOKED)
        .values(status=NOSHOW, noshow_at=now, updated_at=now, version=Appointment.version + 1)
        .returning(Appointment.id)
        .execution_options(synchronize_session=False)).all()
    for appointment in session.scalars(select(Appointment).where(Appointment.id.in_(claimed))
                                       .execution_options(populate_existing=True)):
        outbox.record(session, "scheduling.appointment-missed", appointment_facts(
            appointment, detected_at=now, grace_minutes=grace_minutes))
    return len(claimed)


def send_reminders(session: Session, now: datetime, batch: int = 200) -> int:
    """Publish each due reminder once per appointment, offset and start. The
    reminder table's key is the claim: a second sweeper's insert finds it
    taken and sends nothing. A moved visit has a new start, so a new key; a
    cancelled one is no longer `booked`, so nothing is sent for it."""
    settings = Runtime.of(session).service_settings
    # Settings that share their offsets are swept together (issue 25, item 14).
    groups: dict[tuple[int, ...], list[str]] = {}
    for clinical_setting in CLINICAL_SETTINGS:
        groups.setdefault(tuple(settings.reminder_offsets_for(clinical_setting)), []).append(clinical_setting)
    sent = 0
    for offsets_minutes, clinical_settings in groups.items():
        sent += _send_reminders(session, now, batch, offsets_minutes, clinical_settings)
    return sent


def _send_reminders(session: Session, now: datetime, batch: int, offsets_minutes: tuple[int, ...],
                    clinical_settings: list[str]) -> int:
    sent = 0
    for offset, next_offset in reminders.windows(offsets_minutes):
        due = session.scalars(
            select(Appointment)
            .where(Appointment.status == BOOKED, Appointment.setting.in_(clinical_settings),
                   Appointment.start_at > now + timedelta(minutes=next_offset),
                   Appointment.start_at <= now + timedelta(minutes=offset),
                   ~exists().where(AppointmentReminder.appointment_id == Appointment.id,
                                   AppointmentReminder.offset_minutes == offset,
                                   AppointmentReminder.appointment_start == Appointment.start_at))
            .order_by(Appointment.start_at).limit(batch)
            # Held while deciding, so a visit cannot be moved under the sweep.
            .with_for_update(skip_locked=True)).all()
        for appointment in due:
            outcome = SENT if reminders.worth_sending(appointment.start_at, appointment.start_set_at, offset) \
                else SKIPPED
            claimed = insert_if_absent(session, AppointmentReminder.__table__, dict(
                appointment_id=appointment.id, offset_minutes=offset, appointment_start=appointment.start_at,
                outcome=outcome, recorded_at=now))
            if claimed and outcome == SENT:
                outbox.record(session, "scheduling.appointment-reminder-due", appointment_facts(
                    appointment, offset_minutes=offset, telehealth=appointment.telehealth_token is not None))
                sent += 1
    return sent
