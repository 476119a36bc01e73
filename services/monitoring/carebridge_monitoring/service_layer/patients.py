"""The patients this service has heard of (from the patients service's
events): their time zone, in which calendar days are counted, and their
status: a patient who died or left has their enrolments ended."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..persistence.models import Enrolment, MonitoredPatient
from .actors import SYSTEM
from .enrolments import end_enrolment

ENDED_STATUSES = ("inactive", "deceased")


def remember_patient(session: Session, data: dict) -> None:
    """Keep the newest revision of the patient's time zone and status."""
    known = session.get(MonitoredPatient, data["patient_id"], with_for_update=True)
    if known is not None and known.revision >= data["revision"]:
        return
    if known is None:
        known = MonitoredPatient(patient_id=data["patient_id"], time_zone=data["time_zone"],
                                 status=data["status"], revision=data["revision"])
        session.add(known)
    else:
        known.time_zone, known.status, known.revision = data["time_zone"], data["status"], data["revision"]
    session.flush()
    for enrolment in session.scalars(select(Enrolment).where(Enrolment.patient_id == data["patient_id"],
                                                             Enrolment.status == "active")):
        if data["status"] in ENDED_STATUSES:
            end_enrolment(session, enrolment, reason=f"patient-{data['status']}", actor=SYSTEM)
        elif enrolment.time_zone != data["time_zone"]:
            enrolment.time_zone = data["time_zone"]
