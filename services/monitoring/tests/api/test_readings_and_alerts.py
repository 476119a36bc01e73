"""Readings in, alerts out: batches from gateways, duplicates, refusals,
one alert per episode, the action that closes it."""
import uuid
from datetime import datetime, timedelta, timezone

from carebridge.testing import assert_problem, audit_trail, outbox

import support
from support import enrol, reading, send_batch

UTC = timezone.utc
NOW = datetime(2026, 3, 2, 14, tzinfo=UTC)


def test_a_gateway_batch_stores_converts_and_reports_each_reading(client, runtime, coordinator, gateway, patient_id):
    enrolment = enrol(client, coordinator, patient_id)
    serial = enrolment["device"]["serial"]
    result = send_batch(client, gateway, [
        reading("weight", 180, NOW - timedelta(hours=2), unit="[lb_av]", serial=serial),
        reading("weight", 9000, NOW - timedelta(hours=1), serial=serial),
        reading("spo2", 95, NOW - timedelta(hours=1), serial=serial),              # not an enrolled measure
        reading("weight", 80, NOW - timedelta(hours=1), serial="UNKNOWN-DEVICE"),
        reading("weight", 80, NOW + timedelta(hours=1), serial=serial),             # in the future
    ])
    assert (result["stored"], result["duplicates"], result["refused"]) == (1, 0, 4)
    statuses = [(r["index"], r["status"], sorted(r["errors"])) for r in result["results"]]
    assert statuses == [(0, "stored", []), (1, "refused", ["value"]), (2, "refused", ["enrolment"]),
                        (3, "refused", ["enrolment"]), (4, "refused", ["taken_at"])]
    stored = client.get(f"/readings?patient_id={patient_id}", headers=coordinator).get_json()["items"]
    assert [(r["value"], r["unit"], r["sent_unit"], r["source"]) for r in stored] == [
        ("81.65", "kg", "[lb_av]", "device")]
    days = outbox(runtime, "monitoring.reading-days-recorded")
    assert [(e.data["patient_id"], e.data["days"]) for e in days] == [(str(patient_id), [NOW.date().isoformat()])]
    assert [r for r in audit_trail(runtime) if r["resource_type"] == "monitoring-reading"
            and r["action"] == "create"]


def test_a_retried_batch_stores_nothing_twice_and_counts_no_day_again(client, runtime, coordinator, gateway,
                                                                      patient_id):
    serial = enrol(client, coordinator, patient_id)["device"]["serial"]
    batch = [reading("weight", 80 + i / 10, NOW - timedelta(days=2 - i), serial=serial) for i in range(3)]
    assert send_batch(client, gateway, batch)["stored"] == 3
    again = send_batch(client, gateway, batch)
    assert (again["stored"], again["duplicates"], again["refused"]) == (0, 3, 0)
    assert all(r["reading_id"] is None for r in again["results"])
    assert client.get(f"/readings?patient_id={patient_id}", headers=coordinator).get_json()["total"] == 3
    assert len(outbox(runtime, "monitoring.reading-days-recorded")) == 1


def test_a_heart_failure_weight_climb_opens_one_urgent_alert_for_the_episode(client, runtime, coordinator, gateway,
                                                                            patient_id):
    serial = enrol(client, coordinator, patient_id)["device"]["serial"]
    send_batch(client, gateway, [reading("weight", 80.0, NOW - timedelta(days=2), serial=serial),
                                 reading("weight", 80.6, NOW - timedelta(days=1), serial=serial)])
    assert outbox(runtime, "monitoring.alert-opened") == []
    first = send_batch(client, gateway, [reading("weight", 81.8, NOW - timedelta(hours=1), serial=serial)])
    second = send_batch(client, gateway, [reading("weight", 82.0, NOW - timedelta(minutes=30), serial=serial)])
    assert len(first["alerts_opened"]) == 1 and second["alerts_opened"] == []
    opened = outbox(runtime, "monitoring.alert-opened")
    assert [(e.data["rule_code"], e.data["severity"], e.data["patient_id"]) for e in opened] == [
        ("weight-gain-day", "urgent", str(patient_id))]
    alert = client.get(f"/alerts/{first['alerts_opened'][0]}", headers=coordinator).get_json()
    assert [r["value"] for r in alert["readings"]] == ["80.60", "81.80", "82.00"]   # the episode's readings


def test_recording_the_action_closes_the_alert_and_counts_the_minutes(client, runtime, auth, gateway, patient_id):
    nurse = support.nurse_for(runtime, auth, patient_id)
    serial = enrol(client, nurse, patient_id, measures=("spo2",), condition="general")["device"]["serial"]
    alert_id = send_batch(client, gateway, [reading("spo2", 86, NOW, serial=serial)])["alerts_opened"][0]
    opened = outbox(runtime, "monitoring.alert-opened")[0].data
    assert (opened["rule_code"], opened["severity"]) == ("spo2-critical-low", "critical")
    url = f"/alerts/{alert_id}/actions"
    body = {"action_code": "sent-to-emergency", "note": "Ambulance called.", "minutes": 25}
    assert_problem(client.post(url, json=body, headers=nurse), 428)
    closed = client.post(url, json=body, headers={**nurse, "If-Match": '"1"'})
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["status"] == "closed" and closed.get_json()["action_code"] == "sent-to-emergency"
    assert_problem(client.post(url, json=body, headers={**nurse, "If-Match": '"2"'}), 409)
    event = outbox(runtime, "monitoring.alert-closed")[0].data
    assert (event["alert_id"], event["reason"], event["action_code"]) == (alert_id, "action-recorded",
                                                                          "sent-to-emergency")
    minutes = outbox(runtime, "monitoring.time-recorded")[0].data
    assert (minutes["minutes"], minutes["activity"], minutes["performed_on"]) == (25, "alert-response", NOW.date().isoformat())
    # A new low after the episode closed is a new episode.
    again = send_batch(client, gateway, [reading("spo2", 85, NOW + timedelta(minutes=1), serial=serial)])
    assert len(again["alerts_opened"]) == 1 and again["alerts_opened"] != [alert_id]


def test_an_ended_enrolment_takes_no_readings_and_closes_its_alerts(client, runtime, coordinator, gateway,
                                                                   patient_id):
    enrolment = enrol(client, coordinator, patient_id, measures=("spo2",), condition="general")
    serial = enrolment["device"]["serial"]
    send_batch(client, gateway, [reading("spo2", 85, NOW, serial=serial)])
    ended = client.post(f"/enrolments/{enrolment['id']}/end", json={"reason": "goals-met"},
                        headers={**coordinator, "If-Match": '"1"'})
    assert ended.status_code == 200 and ended.get_json()["status"] == "ended"
    assert [e.data["reason"] for e in outbox(runtime, "monitoring.alert-closed")] == ["enrolment-ended"]
    later = send_batch(client, gateway, [reading("spo2", 80, NOW + timedelta(minutes=5), serial=serial)])
    assert later["refused"] == 1 and len(outbox(runtime, "monitoring.alert-opened")) == 1


def test_a_single_reading_from_staff_and_its_refusals(client, runtime, auth, patient_id):
    nurse = support.nurse_for(runtime, auth, patient_id)
    enrol(client, nurse, patient_id, measures=("blood-pressure",), condition="hypertension")
    body = reading("blood-pressure", 150, NOW, patient_id=patient_id, diastolic=95)
    response = client.post("/readings", json=body, headers=nurse)
    assert response.status_code == 201 and response.get_json()["diastolic"] == "95.00"
    assert_problem(client.post("/readings", json=body, headers=nurse), 409)
    refused = client.post("/readings", json={**body, "value": 400, "taken_at": NOW.replace(hour=13).isoformat()},
                          headers=nurse)
    assert_problem(refused, 422)
    assert "value" in refused.get_json()["errors"]
    other_nurse = auth("nurse", sub=uuid.uuid4())
    assert_problem(client.post("/readings", json={**body, "taken_at": NOW.replace(hour=12).isoformat()},
                               headers=other_nurse), 403)
    assert client.get(f"/readings?patient_id={patient_id}", headers=nurse).get_json()["total"] == 1


def test_a_nurse_off_the_team_and_a_gateway_cannot_read(client, runtime, auth, coordinator, gateway, patient_id):
    enrolment = enrol(client, coordinator, patient_id)
    assert_problem(client.get(f"/enrolments/{enrolment['id']}", headers=auth("nurse", sub=uuid.uuid4())), 403)
    assert_problem(client.get(f"/readings?patient_id={patient_id}", headers=gateway), 403)
    assert_problem(client.post("/readings/batches", json={"readings": []}, headers=gateway), 422)


def test_limits_are_data_per_enrolment(client, runtime, coordinator, gateway, patient_id):
    enrolment = enrol(client, coordinator, patient_id, measures=("blood-pressure",), condition="hypertension")
    assert enrolment["limits"]["blood-pressure"]["high"] == 150
    assert [r["code"] for r in enrolment["rules"]] == ["systolic-high-3-in-a-row", "missed-readings"]
    bad = client.put(f"/enrolments/{enrolment['id']}/limits", headers={**coordinator, "If-Match": '"1"'},
                     json={"limits": {"blood-pressure": {"low": 150, "high": 140}}})
    assert_problem(bad, 422)
    changed = client.put(f"/enrolments/{enrolment['id']}/limits", headers={**coordinator, "If-Match": '"1"'},
                         json={"limits": {"blood-pressure": {"high": 170, "critical_high": 190}}})
    assert changed.status_code == 200, changed.get_json()
    serial = enrolment["device"]["serial"]
    result = send_batch(client, gateway, [reading("blood-pressure", 165, NOW, serial=serial, diastolic=90)])
    assert result["alerts_opened"] == []
    result = send_batch(client, gateway, [reading("blood-pressure", 175, NOW + timedelta(minutes=1), serial=serial,
                                                  diastolic=90)])
    assert len(result["alerts_opened"]) == 1
    assert [e.data["revision"] for e in outbox(runtime, "monitoring.enrolment-changed")] == [1, 2]


def test_one_active_enrolment_per_device(client, coordinator, runtime, patient_id):
    first = enrol(client, coordinator, patient_id)
    other = support.register_patient(runtime)
    enrol(client, coordinator, other, serial=first["device"]["serial"], expect=409)


def test_enrolling_an_unknown_patient_needs_a_time_zone(client, coordinator):
    stranger = uuid.uuid4()
    enrol(client, coordinator, stranger, expect=422)
    assert enrol(client, coordinator, stranger, time_zone="Europe/Lisbon")["time_zone"] == "Europe/Lisbon"


def test_one_batch_joins_the_open_episodes_and_opens_the_new_ones_of_several_patients(client, runtime, coordinator,
                                                                                     gateway, patient_id):
    others = [support.register_patient(runtime) for _ in range(2)]
    serials = [enrol(client, coordinator, patient, measures=("spo2", "heart-rate"), condition="general")
               ["device"]["serial"] for patient in (patient_id, *others)]
    first = send_batch(client, gateway, [reading("spo2", 85, NOW - timedelta(hours=1), serial=serials[0])])
    [open_alert] = first["alerts_opened"]
    batch = send_batch(client, gateway, [
        reading("spo2", 84, NOW, serial=serials[0]),                  # joins the open episode
        reading("spo2", 83, NOW, serial=serials[1]),                  # a new one
        reading("spo2", 86, NOW - timedelta(minutes=5), serial=serials[1]),   # the same new episode
        reading("heart-rate", 70, NOW, serial=serials[2]),            # nothing
        reading("spo2", 97, NOW, serial=serials[2])])                 # nothing
    assert batch["stored"] == 5 and len(batch["alerts_opened"]) == 1 and open_alert not in batch["alerts_opened"]
    opened = outbox(runtime, "monitoring.alert-opened")
    assert [e.data["patient_id"] for e in opened] == [str(patient_id), str(others[0])]
    assert len(opened[1].data["reading_ids"]) == 2
    joined = client.get(f"/alerts/{open_alert}", headers=coordinator).get_json()
    assert [r["value"] for r in joined["readings"]] == ["85.00", "84.00"]
    new = client.get(f"/alerts/{batch['alerts_opened'][0]}", headers=coordinator).get_json()
    assert [r["value"] for r in new["readings"]] == ["86.00", "83.00"]


def test_readings_that_stop_open_one_missed_readings_alert(client, runtime, coordinator, patient_id, clock):
    """The sweep's alert has no readings to link: it opened nothing before
    (an INSERT of no links failed the whole sweep on NOT NULL)."""
    from carebridge_monitoring.service_layer.missed_readings import open_missed_readings_alerts

    enrolment = enrol(client, coordinator, patient_id, measures=("blood-pressure",), condition="hypertension")
    rule = next(r for r in enrolment["rules"] if r["kind"] == "missed-readings")
    clock.advance(days=rule["days"] + 1)
    with runtime.db.transaction() as session:
        assert open_missed_readings_alerts(session, clock.now()) == 1
    with runtime.db.transaction() as session:
        assert open_missed_readings_alerts(session, clock.now()) == 0
    opened = outbox(runtime, "monitoring.alert-opened")
    assert [(e.data["rule_code"], e.data["enrolment_id"], e.data["reading_ids"]) for e in opened] == [
        ("missed-readings", enrolment["id"], [])]

