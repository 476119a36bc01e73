"""Builders shared by the careplans tests: care teams, request bodies, and
small helpers to read what the service did."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from carebridge.testing import make_event

WARFARIN, IBUPROFEN, NAPROXEN, ASPIRIN = "11289", "5640", "7258", "1191"
LISINOPRIL, SACUBITRIL_VALSARTAN, VALSARTAN = "29046", "1656339", "69749"
SPIRONOLACTONE, POTASSIUM_CHLORIDE, METOPROLOL, CARVEDILOL = "9997", "8591", "6918", "20352"
FUROSEMIDE, DIGOXIN, METFORMIN, AMOXICILLIN = "4603", "3407", "6809", "723"
CEPHALEXIN, CEFTRIAXONE = "2231", "2193"


@dataclass(frozen=True)
class CareTeam:
    patient_id: uuid.UUID
    care_team_id: uuid.UUID
    coordinator_id: uuid.UUID
    nurse_id: uuid.UUID
    physician_id: uuid.UUID
    specialist_id: uuid.UUID
    outsider_id: uuid.UUID

    @property
    def roles(self) -> dict:
        """The members (the outsider is not one), practitioner id to role."""
        return {self.coordinator_id: "coordinator", self.nurse_id: "nurse", self.physician_id: "physician",
                self.specialist_id: "specialist"}


def medication(name: str, rxnorm_code: str | None, *, dose="10 mg (1 tablet)", frequency="once-daily", **extra):
    detail = {"name": name, "rxnorm_code": rxnorm_code, "dose": dose, "route": "oral", "frequency": frequency,
              **extra.pop("detail", {})}
    return {"kind": "medication", "medication": detail, **extra}


def follow_up(code="cardiology-follow-up", start="2026-03-09", end="2026-03-16", **extra):
    return {"kind": "follow-up", "follow_up": {"appointment_type_code": code, "window_start": start,
                                               "window_end": end}, **extra}


def therapy(code="physical-therapy", per_week=2, weeks=6, **extra):
    return {"kind": "therapy", "description": "physical therapy",
            "therapy": {"appointment_type_code": code, "sessions_per_week": per_week, "duration_weeks": weeks},
            **extra}


def diet(text="Eat less salt: under 2,000 mg of sodium a day.", **extra):
    return {"kind": "diet", "diet": {"recommendation": text}, **extra}


def education(topic="Daily weights", **extra):
    return {"kind": "education", "education": {"topic": topic, "material": "Handout"}, **extra}


def check_in(days=7, **extra):
    return {"kind": "check-in", "check_in": {"interval_days": days, "method": "phone"}, **extra}


def goal(description="Keep weight within 2 lb of discharge weight", due="2026-04-01", **extra):
    return {"description": description, "target": {"measure": "body weight", "detail": "within 2 lb",
                                                   "due_date": due}, **extra}


def plan_body(patient_id, *, activities=(), goals=(), status="active", **extra):
    return {"patient_id": str(patient_id), "status": status, "title": "Heart failure care",
            "conditions": [{"system": "icd-10-cm", "code": "I50.9", "display": "Heart failure"}],
            "period": {"start": "2026-03-02", "end": "2026-06-01"}, "goals": list(goals),
            "activities": list(activities), **extra}


def create_plan(client, headers, body) -> dict:
    response = client.post("/care-plans", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def revise(client, headers, plan, **changes):
    """PATCH the plan with its current ETag; returns the response."""
    changes.setdefault("reason", "tailoring the plan")
    return client.patch(f"/care-plans/{plan['id']}", json=changes,
                        headers={**headers, "If-Match": f'"{plan["version"]}"'})


def activity_of(plan: dict, kind: str, index: int = 0) -> dict:
    return [a for a in plan["activities"] if a["kind"] == kind][index]


def appointment_event(event_type: str, team: CareTeam, *, activity_id=None, plan_id=None, code="cardiology-follow-up",
                      start, **extra):
    data = {"appointment_id": uuid.uuid4(), "patient_id": team.patient_id, "practitioner_id": team.physician_id,
            "appointment_type_code": code, "service_code": "99214", "setting": "outpatient-clinic",
            "start": start, "end": start + timedelta(minutes=30), "status": "booked",
            "care_plan_id": plan_id, "plan_activity_id": activity_id, **extra}
    return make_event(event_type, data)


def monitoring(*limits, **extra):
    """A monitoring activity setting limits per measure: monitoring(("weight", {"high": 92.5}), ...)."""
    return {"kind": "monitoring", "description": "Daily weights from the home scale",
            "monitoring": {"limits": [{"measure": measure, **bounds} for measure, bounds in limits]}, **extra}
