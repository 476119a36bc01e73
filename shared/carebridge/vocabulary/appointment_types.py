"""The appointment types the services agree on.

Scheduling owns appointment types (its catalogue table is seeded with this
list, and administrators add types per clinical setting there); billing
keys its fee schedule and copays by `service_code` and `billing_category`;
care plans may only name these codes in follow-up and therapy activities,
because scheduling builds its "to book" list from them.
"""
from __future__ import annotations

from dataclasses import dataclass

BILLING_CATEGORIES = ("primary-care", "specialist", "therapy", "telehealth", "imaging")


@dataclass(frozen=True)
class AppointmentType:
    code: str
    name: str
    service_code: str  # CPT/HCPCS
    minutes: int
    setting: str
    billing_category: str


APPOINTMENT_TYPES: dict[str, AppointmentType] = {t.code: t for t in (
    AppointmentType("new-patient", "New patient visit", "99204", 45, "outpatient-clinic", "primary-care"),
    AppointmentType("follow-up", "Follow-up visit", "99214", 30, "outpatient-clinic", "primary-care"),
    AppointmentType("cardiology-follow-up", "Cardiology follow-up", "99214", 30, "outpatient-clinic", "specialist"),
    AppointmentType("specialist-consult", "Specialist consultation", "99244", 45, "outpatient-clinic", "specialist"),
    AppointmentType("physical-therapy", "Physical therapy session", "97110", 45, "outpatient-clinic", "therapy"),
    AppointmentType("telehealth-check-in", "Telehealth check-in", "G2012", 15, "home-telehealth", "telehealth"),
    AppointmentType("echocardiogram", "Echocardiogram", "93306", 60, "hospital", "imaging"),
    AppointmentType("mri-lumbar-spine", "MRI of the lumbar spine", "72148", 60, "hospital", "imaging"),
)}
