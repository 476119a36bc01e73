"""The appointment types every service agrees on (scheduling owns and seeds
them; billing keys its fee schedule by the service code). Care plan
follow-up and therapy activities may only name these codes, because
scheduling builds its "to book" list from them.

`patient_words` is how the plain-language summary names the visit.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppointmentType:
    code: str
    service_code: str
    minutes: int
    setting: str
    billing_category: str
    patient_words: str


APPOINTMENT_TYPES: dict[str, AppointmentType] = {t.code: t for t in (
    AppointmentType("new-patient", "99204", 45, "outpatient-clinic", "primary-care",
                    "a first visit with a new doctor"),
    AppointmentType("follow-up", "99214", 30, "outpatient-clinic", "primary-care",
                    "a follow-up visit with your doctor"),
    AppointmentType("cardiology-follow-up", "99214", 30, "outpatient-clinic", "specialist",
                    "a follow-up visit with your heart doctor"),
    AppointmentType("specialist-consult", "99244", 45, "outpatient-clinic", "specialist",
                    "a visit with a specialist doctor"),
    AppointmentType("physical-therapy", "97110", 45, "outpatient-clinic", "therapy",
                    "a physical therapy session"),
    AppointmentType("telehealth-check-in", "G2012", 15, "home-telehealth", "telehealth",
                    "a short phone or video check-in with your care team"),
    AppointmentType("echocardiogram", "93306", 60, "hospital", "imaging",
                    "an ultrasound scan of your heart (echocardiogram)"),
    AppointmentType("mri-lumbar-spine", "72148", 60, "hospital", "imaging",
                    "an MRI scan of your lower back"),
)}

APPOINTMENT_TYPE_CODES = tuple(APPOINTMENT_TYPES)
