"""Mappings from the scheduling service's rows to FHIR R4: Appointment,
Schedule (a practitioner's availability) and Location. Plain functions; no
access rules, no Flask."""
from __future__ import annotations

import uuid

from carebridge.fhir.elements import codeable, coding, compact, instant, meta, period, reference

SERVICE_SETTING = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
# Where care happens, as HL7's service delivery location role types.
SETTING_CODES = {"hospital": ("HOSP", "Hospital"), "nursing-home": ("NCCF", "Nursing or custodial care facility"),
                 "outpatient-clinic": ("OF", "Outpatient facility"),
                 "private-practice": ("PROFF", "Provider's office"), "home-telehealth": ("PTRES", "Patient's residence")}
CANCEL_REASON = "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason"
# CareBridge's cancellation reasons in FHIR's appointment-cancellation-reason codes.
CANCEL_CODES = {"patient-request": ("pat", "Patient"), "provider-unavailable": ("prov", "Provider"),
                "patient-deactivated": ("pat", "Patient"), "rescheduled": ("other", "Other"),
                "duplicate": ("other", "Other"), "weather": ("other", "Other"), "other": ("other", "Other")}


def service_code_coding(code: str | None) -> dict | None:
    """CPT for five digits, HCPCS Level II for a letter and four digits."""
    if not code:
        return None
    return coding("cpt" if code[:1].isdigit() else "hcpcs", code)


def appointment_resource(appointment) -> dict:
    cancel = CANCEL_CODES.get(appointment.cancel_reason_code or "")
    return compact({
        "resourceType": "Appointment",
        "id": str(appointment.id),
        "meta": meta(appointment.version, appointment.updated_at),
        "status": appointment.status,
        "cancelationReason": codeable(coding(CANCEL_REASON, cancel[0], cancel[1]),
                                      text=appointment.cancel_reason_code) if cancel else None,
        "serviceType": [codeable(service_code_coding(appointment.service_code))],
        "appointmentType": codeable(coding("appointment-type", appointment.appointment_type_code),
                                    text=appointment.appointment_type_code),
        "start": instant(appointment.start_at),
        "end": instant(appointment.end_at),
        "minutesDuration": int((appointment.end_at - appointment.start_at).total_seconds() // 60),
        "created": instant(appointment.created_at),
        "supportingInformation": [reference("CarePlan", appointment.care_plan_id)],
        "participant": [
            {"actor": reference("Patient", appointment.patient_id), "required": "required", "status": "accepted"},
            {"actor": reference("Practitioner", appointment.practitioner_id), "required": "required",
             "status": "accepted"},
            {"actor": reference("Location", appointment.location_id), "required": "required", "status": "accepted"},
        ],
    })


def schedule_resource(schedule) -> dict:
    types = sorted({code for rule in schedule.rules for code in rule.appointment_type_codes})
    return compact({
        "resourceType": "Schedule",
        "id": str(schedule.id),
        "meta": meta(schedule.version, schedule.updated_at),
        "active": schedule.active,
        "serviceType": [codeable(coding("appointment-type", code)) for code in types],
        "actor": [reference("Practitioner", schedule.practitioner_id)],
        "planningHorizon": period(schedule.valid_from, schedule.valid_until),
        "comment": f"Slots every {schedule.slot_interval_minutes} minutes, in {schedule.time_zone}",
    })


def location_resource(location) -> dict:
    setting = SETTING_CODES.get(location.setting)
    return compact({
        "resourceType": "Location",
        "id": str(location.id),
        "meta": meta(location.version, location.updated_at),
        "identifier": [{"system": "urn:carebridge:location", "value": location.code}],
        "status": "active" if location.active else "inactive",
        "name": location.name,
        "mode": "instance",
        "type": [codeable(coding(SERVICE_SETTING, setting[0], setting[1]) if setting else None,
                          text=location.setting)],
    })


def slot_resource(slot, *, schedule_id, appointment_type_code: str, service_code: str | None) -> dict:
    """A free slot (computed from the schedule and the visits booked): its id
    is derived from what it is, so the same slot has the same id each time."""
    key = f"{schedule_id}/{appointment_type_code}/{slot.location_id}/{slot.start.isoformat()}"
    return compact({
        "resourceType": "Slot",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "urn:carebridge:slot:" + key)),
        "serviceType": [codeable(coding("appointment-type", appointment_type_code), service_code_coding(service_code))],
        "appointmentType": codeable(coding("appointment-type", appointment_type_code)),
        "schedule": reference("Schedule", schedule_id),
        "status": "free",
        "start": instant(slot.start),
        "end": instant(slot.end),
        "comment": f"at Location/{slot.location_id}",
    })
