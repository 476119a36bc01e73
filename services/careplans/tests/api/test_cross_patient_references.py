"""Every id a check-in, task or plan names that points at another record
must be this patient's: an appointment (known from scheduling's events), a
care team (known from patients' events), a prescriber (on the patient's care
team, since they are then told of the medication's safety findings)."""
import uuid
from datetime import datetime, timezone

from carebridge.testing import assert_problem, care_team_event, deliver
from support import CareTeam, appointment_event, medication, plan_body

START = datetime(2026, 3, 5, 15, tzinfo=timezone.utc)


def other_team(runtime) -> CareTeam:
    team = CareTeam(*(uuid.uuid4() for _ in range(7)))
    deliver(runtime, care_team_event(team.patient_id, team.roles, care_team_id=team.care_team_id,
                                     lead_coordinator_id=team.coordinator_id))
    return team


def appointment_of(runtime, team) -> str:
    event = appointment_event("scheduling.appointment-booked", team, start=START)
    deliver(runtime, event)
    return str(event.data["appointment_id"])


def check_in(team, **extra):
    return {"patient_id": str(team.patient_id), "context": "routine", "contact_method": "phone", "reached": True,
            **extra}


def test_a_check_in_names_only_an_appointment_of_its_patient(client, as_, team, runtime):
    theirs = appointment_of(runtime, other_team(runtime))
    body = assert_problem(client.post("/check-ins", json=check_in(team, appointment_id=theirs),
                                      headers=as_("nurse")), 422)
    assert body["errors"] == {"appointment_id": ["not an appointment of this patient"]}
    assert_problem(client.post("/check-ins", json=check_in(team, appointment_id=str(uuid.uuid4())),
                               headers=as_("nurse")), 422)
    ours = appointment_of(runtime, team)
    response = client.post("/check-ins", json=check_in(team, appointment_id=ours), headers=as_("nurse"))
    assert response.status_code == 201 and response.get_json()["appointment_id"] == ours


def test_a_task_is_about_an_appointment_of_its_patient_only(client, as_, team, runtime):
    theirs = appointment_of(runtime, other_team(runtime))
    task = {"patient_id": str(team.patient_id), "code": "general", "reason": "Call back",
            "focus_type": "appointment"}
    body = assert_problem(client.post("/tasks", json={**task, "focus_id": theirs}, headers=as_("nurse")), 422)
    assert body["errors"] == {"focus_id": ["not an appointment of this patient"]}
    ours = appointment_of(runtime, team)
    assert client.post("/tasks", json={**task, "focus_id": ours}, headers=as_("nurse")).status_code == 201


def test_a_care_team_careplans_does_not_know_is_refused(client, as_, team, runtime):
    for care_team_id, reason in ((uuid.uuid4(), "unknown care team"),
                                 (other_team(runtime).care_team_id, "not a care team of this patient")):
        body = assert_problem(client.post("/care-plans", json=plan_body(team.patient_id, care_team_id=str(care_team_id)),
                                          headers=as_("physician")), 422)
        assert body["errors"] == {"care_team_id": [reason]}
        task = {"patient_id": str(team.patient_id), "code": "general", "reason": "x", "care_team_id": str(care_team_id)}
        assert_problem(client.post("/tasks", json=task, headers=as_("nurse")), 422)


def test_a_prescriber_must_be_on_the_patients_care_team(client, as_, team, runtime):
    stranger = other_team(runtime).physician_id
    body = plan_body(team.patient_id, activities=[
        medication("metoprolol succinate", "866427", detail={"prescriber_id": str(stranger)})])
    refused = assert_problem(client.post("/care-plans", json=body, headers=as_("physician")), 422)
    assert "prescriber" in str(refused["errors"])
    body = plan_body(team.patient_id, activities=[
        medication("metoprolol succinate", "866427", detail={"prescriber_id": str(team.physician_id)})])
    assert client.post("/care-plans", json=body, headers=as_("physician")).status_code == 201
