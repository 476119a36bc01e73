"""Reactions to the patients service's events: care teams (access and task
owners), allergies and the patient's status, each newest-revision-wins."""
import uuid
from datetime import timedelta

from sqlalchemy import select

from carebridge import access
from carebridge.auth import Principal
from carebridge.testing import care_team_event, care_team_member, deliver, make_event, outbox
from carebridge_careplans.persistence.models import AllergyProjection, PatientProjection, Task


def open_task(client, as_, team, owner):
    return client.post("/tasks", json={"patient_id": str(team.patient_id), "code": "general", "reason": "x",
                                       "owner_id": str(owner)}, headers=as_("coordinator")).get_json()


def owner_of(runtime, task):
    with runtime.db.transaction() as session:
        return session.get(Task, uuid.UUID(task["id"])).owner_id


def test_the_care_team_projection_grants_clinical_access(runtime, team):
    with runtime.db.transaction() as session:
        assert access.may_see_patient(session, Principal(str(team.nurse_id), frozenset({"nurse"})), team.patient_id)
        assert not access.may_see_patient(session, Principal(str(team.outsider_id), frozenset({"nurse"})),
                                          team.patient_id)


def test_tasks_of_a_member_who_left_go_to_the_lead_coordinator(client, as_, runtime, team, clock):
    task = open_task(client, as_, team, team.nurse_id)
    deliver(runtime, care_team_event(team.patient_id, [
        care_team_member(team.coordinator_id, "coordinator"),
        care_team_member(team.nurse_id, "nurse", until=clock.now() - timedelta(minutes=5))],
        care_team_id=team.care_team_id, revision=2, lead_coordinator_id=team.coordinator_id))
    assert owner_of(runtime, task) == team.coordinator_id
    event = outbox(runtime, "careplans.task-assigned")[-1]
    assert (event.data["owner_id"], event.data["previous_owner_id"]) == (str(team.coordinator_id),
                                                                          str(team.nurse_id))
    history = client.get(f"/tasks/{task['id']}/history", headers=as_("coordinator")).get_json()
    assert history[-1]["reason"] == "The previous owner is no longer on the patient's care team."


def test_a_new_lead_takes_over_the_tasks_of_the_old_lead_who_left(client, as_, runtime, team, clock):
    task = open_task(client, as_, team, team.coordinator_id)
    new_lead = uuid.uuid4()
    deliver(runtime, care_team_event(team.patient_id, {new_lead: "coordinator", team.nurse_id: "nurse"},
                                     care_team_id=team.care_team_id, revision=2, lead_coordinator_id=new_lead))
    assert owner_of(runtime, task) == new_lead


def test_an_older_care_team_revision_arriving_late_changes_nothing(client, as_, runtime, team, clock):
    task = open_task(client, as_, team, team.nurse_id)
    deliver(runtime, care_team_event(team.patient_id, team.roles, care_team_id=team.care_team_id, revision=5,
                                     lead_coordinator_id=team.coordinator_id))
    deliver(runtime, care_team_event(team.patient_id, {team.coordinator_id: "coordinator"},
                                     care_team_id=team.care_team_id, revision=4,
                                     lead_coordinator_id=team.coordinator_id))
    assert owner_of(runtime, task) == team.nurse_id


def allergy_event(team, allergy_id, revision, **extra):
    return make_event("patients.allergy-changed", {
        "allergy_id": allergy_id, "patient_id": team.patient_id, "revision": revision, "substance_system": "rxnorm",
        "substance_code": "723", "category": "medication", "clinical_status": "active", **extra})


def test_allergies_are_kept_newest_revision_first(runtime, team):
    allergy_id = uuid.uuid4()
    deliver(runtime, allergy_event(team, allergy_id, 2, clinical_status="resolved"))
    deliver(runtime, allergy_event(team, allergy_id, 1))
    event = allergy_event(team, allergy_id, 3, criticality="high")
    deliver(runtime, event)
    assert deliver(runtime, event) == "duplicate"
    with runtime.db.transaction() as session:
        [held] = session.scalars(select(AllergyProjection)).all()
        assert (held.revision, held.clinical_status, held.criticality) == (3, "active", "high")


def patient_event(event_type, patient_id, revision, status="active", **extra):
    return make_event(event_type, {"patient_id": patient_id, "revision": revision, "status": status,
                                   "time_zone": "America/New_York", "contact_points": [], "communication": {},
                                   **extra})


def test_the_patients_status_follows_registration_and_updates_in_revision_order(runtime):
    patient_id = uuid.uuid4()
    deliver(runtime, patient_event("patients.patient-registered", patient_id, 1))
    deliver(runtime, patient_event("patients.patient-updated", patient_id, 3, "inactive", changed_fields=["status"]))
    deliver(runtime, patient_event("patients.patient-updated", patient_id, 2, "deceased", changed_fields=["status"]))
    with runtime.db.transaction() as session:
        held = session.get(PatientProjection, patient_id)
        assert (held.revision, held.status) == (3, "inactive")


def test_an_allergy_recorded_after_the_order_raises_one_alert_on_the_current_medication(client, as_, runtime, team):
    from support import AMOXICILLIN, activity_of, create_plan, medication, plan_body
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("amoxicillin", AMOXICILLIN)]))
    allergy_id = uuid.uuid4()
    deliver(runtime, allergy_event(team, allergy_id, 1, substance_system="drug-class",
                                   substance_code="class:penicillins", criticality="high"))
    deliver(runtime, allergy_event(team, allergy_id, 2, substance_system="drug-class",
                                   substance_code="class:penicillins", criticality="high", severity="severe"))
    [alert] = client.get(f"/medication-alerts?plan_id={plan['id']}", headers=as_("coordinator")).get_json()["items"]
    assert (alert["kind"], alert["severity"], alert["outcome"], alert["allergy_id"], alert["activity_id"]) == (
        "allergy", "contraindicated", "detected", str(allergy_id), activity_of(plan, "medication")["id"])
    [event] = outbox(runtime, "careplans.medication-alert")
    assert (event.data["plan_version"], event.data["overridden"], event.data["outcome"]) == (1, False, "detected")


def test_an_allergy_that_is_not_in_force_raises_nothing(client, as_, runtime, team):
    from support import AMOXICILLIN, create_plan, medication, plan_body
    create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("amoxicillin", AMOXICILLIN)]))
    deliver(runtime, allergy_event(team, uuid.uuid4(), 1, verification_status="refuted"))
    assert outbox(runtime, "careplans.medication-alert") == []


def training_changed(trainee, mentor, *, in_training, revision):
    return make_event("patients.practitioner-training-changed", {
        "practitioner_id": str(trainee), "revision": revision, "mentor_id": str(mentor), "in_training": in_training})


def test_a_mentor_reads_the_tasks_of_the_practitioner_in_training_they_mentor(client, as_, auth, runtime, team):
    """Issue 25, item 16: the mentor (a nurse not on the patient's team) may
    list the trainee's tasks by owner while the training lasts, nothing more."""
    task = open_task(client, as_, team, team.nurse_id)
    open_task(client, as_, team, team.physician_id)
    mentor = as_("outsider")

    def listed(**filters):
        response = client.get("/tasks", query_string=filters, headers=mentor)
        assert response.status_code == 200
        return [item["id"] for item in response.get_json()["items"]]

    assert listed(owner_id=str(team.nurse_id)) == []
    deliver(runtime, training_changed(team.nurse_id, team.outsider_id, in_training=True, revision=1))
    assert listed(owner_id=str(team.nurse_id)) == [task["id"]]
    assert listed(owner_id=str(team.physician_id)) == [] and listed() == []
    response = client.get("/tasks", query_string={"owner_id": str(team.nurse_id), "patient_id": str(team.patient_id)},
                          headers=mentor)
    assert response.status_code == 403
    not_the_mentor = client.get("/tasks", query_string={"owner_id": str(team.nurse_id)},
                                headers=auth("nurse", sub=uuid.uuid4()))
    assert not_the_mentor.status_code == 200 and not_the_mentor.get_json()["items"] == []

    deliver(runtime, training_changed(team.nurse_id, team.outsider_id, in_training=False, revision=3))
    deliver(runtime, training_changed(team.nurse_id, team.outsider_id, in_training=True, revision=2))  # late
    assert listed(owner_id=str(team.nurse_id)) == []
