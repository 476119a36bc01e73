"""Helpers the scheduling tests share: real events through the real
consumer path, and data set up through the service layer."""
from __future__ import annotations

import uuid
from datetime import datetime, time

from carebridge import clock
from carebridge.testing import deliver, make_event
from carebridge_scheduling.persistence.models import Location
from carebridge_scheduling.service_layer import schedules

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.get_json())
    assert response.content_type == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    return body


def patient_event(event_type: str, patient_id, *, revision: int = 1, status: str = "active",
                  time_zone: str = "America/Chicago", **extra):
    data = {"patient_id": patient_id, "revision": revision, "status": status, "time_zone": time_zone,
            "contact_points": [], "communication": {}, **extra}
    if event_type == "patients.patient-updated":
        data.setdefault("changed_fields", ["status"])
    return make_event(event_type, data)


def register_patient(runtime, patient_id=None, **kwargs) -> uuid.UUID:
    patient_id = patient_id or uuid.uuid4()
    assert deliver(runtime, patient_event("patients.patient-registered", patient_id, **kwargs)) == "applied"
    return patient_id


def care_team_event(patient_id, members: list[uuid.UUID], *, revision: int = 1, team_id=None, status="active"):
    return make_event("patients.care-team-changed", {
        "care_team_id": team_id or uuid.uuid5(uuid.NAMESPACE_URL, f"team/{patient_id}"), "patient_id": patient_id,
        "revision": revision, "status": status, "lead_coordinator_id": None,
        "members": [{"membership_id": uuid.uuid5(uuid.NAMESPACE_URL, f"m/{patient_id}/{m}"), "practitioner_id": m,
                     "role": "nurse", "period_start": datetime(2020, 1, 1, tzinfo=clock.now().tzinfo)}
                    for m in members]})


def put_on_care_team(runtime, patient_id, practitioner_id) -> None:
    deliver(runtime, care_team_event(patient_id, [practitioner_id]))


def add_location(runtime, setting: str, code: str | None = None) -> uuid.UUID:
    with runtime.db.transaction() as session:
        location = Location(id=uuid.uuid4(), code=code or f"{setting}-{uuid.uuid4().hex[:8]}", name=setting,
                            setting=setting, active=True, created_at=clock.now(), updated_at=clock.now())
        session.add(location)
    return location.id


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def add_schedule(runtime, practitioner_id, rules: list[dict], *, time_zone: str = "America/New_York",
                 buffer_minutes: int = 0, slot_interval_minutes: int = 15) -> uuid.UUID:
    with runtime.db.transaction() as session:
        schedule = schedules.create(session, {
            "practitioner_id": practitioner_id, "time_zone": time_zone, "buffer_minutes": buffer_minutes,
            "slot_interval_minutes": slot_interval_minutes,
            "rules": [{**rule, "start_time": _hhmm(rule["start_time"]), "end_time": _hhmm(rule["end_time"])}
                      for rule in rules]})
    return schedule.id


def event_types(events) -> list[str]:
    return [event.type for event in events]
