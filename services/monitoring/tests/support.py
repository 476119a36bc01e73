"""Helpers the monitoring tests share: patients known from real events
through the real consumer path, enrolments and readings through the API."""
from __future__ import annotations

import uuid

from carebridge.testing import deliver, make_event, put_on_care_team


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


def nurse_for(runtime, auth, patient_id) -> dict:
    nurse = uuid.uuid4()
    put_on_care_team(runtime, patient_id, nurse, role="nurse")
    return auth("nurse", sub=nurse)


def enrol(client, headers, patient_id, *, condition="heart-failure", measures=("weight", "blood-pressure"),
          serial=None, expect=201, **extra) -> dict:
    body = {"patient_id": str(patient_id), "condition": condition, "measures": list(measures),
            "device": {"kind": "cellular-scale", "serial": serial or f"DEV-{uuid.uuid4().hex[:10]}"},
            "consent_date": "2026-03-01", **extra}
    response = client.post("/enrolments", json=body, headers=headers)
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def reading(measure, value, at, *, unit=None, serial=None, patient_id=None, diastolic=None) -> dict:
    units = {"weight": "kg", "blood-pressure": "mm[Hg]", "heart-rate": "/min", "spo2": "%",
             "blood-glucose": "mg/dL", "temperature": "Cel"}
    item = {"measure": measure, "value": value, "unit": unit or units[measure], "taken_at": at.isoformat()}
    if serial:
        item["device_serial"] = serial
    if patient_id:
        item["patient_id"] = str(patient_id)
    if diastolic is not None:
        item["diastolic"] = diastolic
    return item


def send_batch(client, headers, readings, expect=200) -> dict:
    response = client.post("/readings/batches", json={"readings": readings}, headers=headers)
    assert response.status_code == expect, response.get_json()
    return response.get_json()
