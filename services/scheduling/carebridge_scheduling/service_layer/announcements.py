"""The events scheduling publishes about appointments (through the outbox,
in the transaction of the change). Identifiers and codes only."""
from __future__ import annotations

from sqlalchemy.orm import Session

from carebridge import outbox

from ..persistence.models import Appointment, WaitlistEntry


def appointment_facts(appointment: Appointment, **details) -> dict:
    """What every scheduling.appointment-* event says about the visit, with
    the event's own `details`."""
    return {
        "appointment_id": appointment.id,
        "patient_id": appointment.patient_id,
        "practitioner_id": appointment.practitioner_id,
        "appointment_type_code": appointment.appointment_type_code,
        "service_code": appointment.service_code,
        "setting": appointment.setting,
        "location_id": appointment.location_id,
        "start": appointment.start_at,
        "end": appointment.end_at,
        "status": appointment.status,
        "care_plan_id": appointment.care_plan_id,
        "plan_activity_id": appointment.plan_activity_id,
        **details,
    }


def announce_booked(session: Session, appointment: Appointment, by: str, *,
                    series: tuple[int, int] | None = None) -> None:
    """`series`: (place, size) of a visit of a recurring course booked at once."""
    course = {"series_id": appointment.series_id, "series_index": series[0], "series_size": series[1]} \
        if series else {}
    outbox.record(session, "scheduling.appointment-booked", appointment_facts(
        appointment, booked_by=by, telehealth=appointment.telehealth_token is not None, **course))


def announce_offer(session: Session, entry: WaitlistEntry, hold: Appointment) -> None:
    outbox.record(session, "scheduling.waitlist-offered", {
        "waitlist_entry_id": entry.id,
        "patient_id": entry.patient_id,
        "practitioner_id": hold.practitioner_id,
        "appointment_type_code": hold.appointment_type_code,
        "slot_start": hold.start_at,
        "slot_end": hold.end_at,
        "hold_expires_at": hold.hold_expires_at,
    })
