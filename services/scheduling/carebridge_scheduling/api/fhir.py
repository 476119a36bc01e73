"""/fhir/R4: the scheduling service's records in FHIR R4 (Appointment for
the clinical readers on the care-team rules; Schedule, free Slots and
Location, which hold no patient's data, for every role, as /schedules,
/slots and /locations)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from carebridge import clock
from carebridge.auth.roles import CLINICAL_READERS, ROLES
from carebridge.errors import RuleViolation
from carebridge.fhir import FhirResource, FhirSource, SearchParam, fhir_blueprint
from carebridge.fhir.search import date_range, reference_uuid, tokens
from carebridge.web import request_session

from ..fhir.resources import appointment_resource, location_resource, schedule_resource, slot_resource
from ..persistence.models import Appointment, Location, Schedule
from ..service_layer import slots
from ..service_layer.placement import bookable_type

MAX_SLOT_DAYS = 31


def _free_slots(values: dict, page: int, size: int) -> tuple[list[dict], int]:
    """Free slots of one appointment type (`service-type`), from `start`
    (default now) for at most 31 days (default 7), of one schedule if
    `schedule` names it."""
    session = request_session()
    codes = tokens(values.get("service-type") or "")
    if len(codes) != 1:
        raise RuleViolation("service-type must name one appointment type", errors={"service-type": ["one code"]})
    kind = bookable_type(session, codes[0], field="service-type")
    start, end = date_range(values.get("start"), name="start")
    start = start or clock.now()
    end = end or start + timedelta(days=7)
    if not start < end <= start + timedelta(days=MAX_SLOT_DAYS):
        raise RuleViolation(f"start must span at most {MAX_SLOT_DAYS} days, the end after the start",
                            errors={"start": ["a range of at most 31 days"]})
    practitioner_id = None
    if values.get("schedule"):
        schedule = session.get(Schedule, reference_uuid(values["schedule"], "Schedule", name="schedule"))
        if schedule is None:
            return [], 0
        practitioner_id = schedule.practitioner_id
    found, total = slots.search(session, slots.SlotQuery(kind, start, end, practitioner_id), page, size)
    schedules = dict(session.execute(select(Schedule.practitioner_id, Schedule.id).where(
        Schedule.practitioner_id.in_({slot.practitioner_id for slot in found}))).all()) if found else {}
    return [slot_resource(slot, schedule_id=schedules[slot.practitioner_id], appointment_type_code=kind.code,
                          service_code=kind.service_code) for slot in found], total

blp = fhir_blueprint("scheduling", [
    FhirResource("Appointment", audit_type="appointment", roles=CLINICAL_READERS, sources=(FhirSource(
        Appointment, appointment_resource, updated=Appointment.updated_at, patient=Appointment.patient_id, params=(
            SearchParam("status", "token", "booked, arrived, checked-in, fulfilled, cancelled, noshow, ...",
                        Appointment.status),
            SearchParam("date", "date", "When the visit starts", Appointment.start_at),
            SearchParam("practitioner", "reference", "The practitioner seen (Practitioner/<id>)",
                        Appointment.practitioner_id, target="Practitioner"))),)),
    FhirResource("Schedule", audit_type="schedule", patient_data=False, roles=ROLES, sources=(FhirSource(
        Schedule, schedule_resource, updated=Schedule.updated_at, params=(
            SearchParam("actor", "reference", "The practitioner (Practitioner/<id>)", Schedule.practitioner_id,
                        target="Practitioner"),
            SearchParam("active", "token", "true or false", Schedule.active,
                        codes=lambda code: [code == "true"]))),)),
    FhirResource("Slot", audit_type="slot", patient_data=False, roles=ROLES, sources=(), readable=False,
                 search=_free_slots, params=(
                     SearchParam("service-type", "token", "The appointment type (its code)", required=True),
                     SearchParam("start", "date", "When the slot starts (ge/gt and le/lt; default: the next "
                                                  "7 days; at most 31)"),
                     SearchParam("schedule", "reference", "One practitioner's Schedule (Schedule/<id>)",
                                 target="Schedule"))),
    FhirResource("Location", audit_type="location", patient_data=False, roles=ROLES, sources=(FhirSource(
        Location, location_resource, updated=Location.updated_at, params=(
            SearchParam("identifier", "token", "The location's code", Location.code),)),)),
])
