"""A care plan's monitoring activity sets the limits of the patient's active
enrolment (`careplans.plan-updated`): newer plan versions win, the latest
decision (plan version or staff PUT) stands, older or repeated versions
change nothing."""
import uuid
from datetime import datetime, timezone

from carebridge.testing import deliver, make_event, outbox

from support import enrol, reading, send_batch

PLAN_ID = uuid.UUID("5d1f4a52-0c55-4a43-9d0b-7a8fb3a0c001")


def plan_updated(patient_id, version, *limits, plan_id=PLAN_ID, status="active"):
    activity_id = uuid.UUID("5d1f4a52-0c55-4a43-9d0b-7a8fb3a0c0a1")
    return make_event("careplans.plan-updated", {
        "plan_id": plan_id, "patient_id": patient_id, "version": version, "status": status,
        "changed_sections": ["activities"], "patient_facing": False, "by_system": False,
        "monitoring_limits": [{"activity_id": activity_id, "measure": measure, **bounds}
                              for measure, bounds in limits]})


def limits_of(client, headers, enrolment):
    return client.get(f"/enrolments/{enrolment['id']}", headers=headers).get_json()


def test_the_plans_limits_become_the_enrolments_and_readings_are_judged_by_them(client, runtime, coordinator,
                                                                                gateway, patient_id):
    enrolment = enrol(client, coordinator, patient_id)   # heart failure: no weight limit by default
    assert "weight" not in enrolment["limits"]
    assert deliver(runtime, plan_updated(patient_id, 3, ("weight", {"high": 95, "critical_high": 100}),
                                         ("blood-pressure", {"high": 140}))) == "applied"
    now = limits_of(client, coordinator, enrolment)
    assert now["limits"]["weight"] == {"high": 95.0, "critical_high": 100.0}
    assert now["limits"]["blood-pressure"] == {"high": 140.0}   # replaced as a whole for that measure
    assert (now["limits_plan_id"], now["limits_plan_version"]) == (str(PLAN_ID), 3)
    [changed] = [e for e in outbox(runtime, "monitoring.enrolment-changed") if e.data["revision"] == now["version"]]
    assert changed.data["enrolment_id"] == enrolment["id"]
    send_batch(client, gateway, [reading("weight", 101, datetime(2026, 3, 2, 13, tzinfo=timezone.utc),
                                         serial=enrolment["device"]["serial"])])
    [alert] = outbox(runtime, "monitoring.alert-opened")
    assert alert.data["severity"] == "critical" and alert.data["enrolment_id"] == enrolment["id"]


def test_an_older_or_repeated_plan_version_changes_nothing(client, runtime, coordinator, patient_id):
    enrolment = enrol(client, coordinator, patient_id)
    deliver(runtime, plan_updated(patient_id, 4, ("weight", {"high": 95})))
    version = limits_of(client, coordinator, enrolment)["version"]
    deliver(runtime, plan_updated(patient_id, 2, ("weight", {"high": 80})))
    deliver(runtime, plan_updated(patient_id, 4, ("weight", {"high": 80})))
    now = limits_of(client, coordinator, enrolment)
    assert now["limits"]["weight"] == {"high": 95.0} and now["version"] == version


def test_the_latest_decision_wins_between_a_staff_put_and_plan_versions(client, runtime, coordinator, patient_id):
    enrolment = enrol(client, coordinator, patient_id)
    deliver(runtime, plan_updated(patient_id, 2, ("weight", {"high": 95})))
    current = limits_of(client, coordinator, enrolment)
    put = client.put(f"/enrolments/{enrolment['id']}/limits", json={"limits": {"weight": {"high": 90}}},
                     headers={**coordinator, "If-Match": f'"{current["version"]}"'})
    assert put.status_code == 200, put.get_json()
    deliver(runtime, plan_updated(patient_id, 2, ("weight", {"high": 95})))   # redelivered: the PUT stands
    assert limits_of(client, coordinator, enrolment)["limits"] == {"weight": {"high": 90.0}}
    deliver(runtime, plan_updated(patient_id, 3, ("weight", {"high": 97})))   # a newer plan version wins
    assert limits_of(client, coordinator, enrolment)["limits"]["weight"] == {"high": 97.0}


def test_only_enrolled_measures_of_active_enrolments_and_usable_limits_are_applied(client, runtime, coordinator,
                                                                                  patient_id):
    ended = enrol(client, coordinator, patient_id, measures=("weight",))
    assert client.post(f"/enrolments/{ended['id']}/end", json={"reason": "device-returned"},
                       headers={**coordinator, "If-Match": f'"{ended["version"]}"'}).status_code == 200
    active = enrol(client, coordinator, patient_id, measures=("spo2",), condition="general")
    before = limits_of(client, coordinator, active)
    deliver(runtime, plan_updated(patient_id, 2, ("weight", {"high": 95}), ("spo2", {"low": 20})))
    assert limits_of(client, coordinator, active) == before   # spo2 under 50 % is not plausible: kept
    assert "weight" not in limits_of(client, coordinator, ended)["limits"]
    deliver(runtime, plan_updated(patient_id, 3, ("weight", {"high": 95}), ("spo2", {"low": 90})))
    now = limits_of(client, coordinator, active)
    assert now["limits"] == {"spo2": {"low": 90.0}} and now["limits_plan_version"] == 3
    assert limits_of(client, coordinator, ended)["version"] == ended["version"] + 1   # only its ending


def test_a_plan_version_without_monitoring_limits_leaves_them(client, runtime, coordinator, patient_id):
    enrolment = enrol(client, coordinator, patient_id)
    deliver(runtime, plan_updated(patient_id, 2, ("weight", {"high": 95})))
    deliver(runtime, plan_updated(patient_id, 3, status="completed"))
    assert limits_of(client, coordinator, enrolment)["limits"]["weight"] == {"high": 95.0}
