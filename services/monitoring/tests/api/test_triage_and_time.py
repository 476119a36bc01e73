"""Triage calls by protocol, and monitoring time, through the API."""
import uuid
from datetime import datetime, timedelta, timezone

from carebridge.testing import assert_problem, outbox

import support
from support import enrol

NOW = datetime(2026, 3, 2, 14, tzinfo=timezone.utc)


def call_body(patient_id, protocol="chest-pain", yes=(), **extra):
    from carebridge_monitoring.domain.triage import protocols
    return {"patient_id": str(patient_id), "caller_type": "family", "caller_name": "Daughter",
            "protocol_code": protocol, "called_at": (NOW - timedelta(minutes=5)).isoformat(),
            "answers": {code: code in yes for code in protocols()[protocol].question_codes},
            "note": "Pain since this morning.", **extra}


def test_a_triage_call_is_decided_by_its_protocol_kept_and_announced(client, runtime, auth, patient_id):
    nurse = support.nurse_for(runtime, auth, patient_id)
    response = client.post("/triage-calls", json=call_body(patient_id, yes=("pain-now", "spreads-or-breathless")),
                           headers=nurse)
    assert response.status_code == 201, response.get_json()
    call = response.get_json()
    assert (call["disposition"], call["book_within_days"]) == ("emergency", None)
    assert call["advice"].startswith("Call emergency services now")
    read = client.get(f"/triage-calls/{call['id']}", headers=nurse)
    assert read.status_code == 200, read.get_json()
    assert read.get_json()["note"] == "Pain since this morning."
    listed = client.get(f"/triage-calls?patient_id={patient_id}", headers=nurse).get_json()
    assert [c["id"] for c in listed["items"]] == [call["id"]]
    [event] = outbox(runtime, "monitoring.triage-recorded")
    assert (event.data["disposition"], event.data["protocol_code"]) == ("emergency", "chest-pain")
    assert "note" not in event.data and "answers" not in event.data and "caller_name" not in event.data
    assert_problem(client.get(f"/triage-calls/{call['id']}", headers=auth("nurse", sub=uuid.uuid4())), 403)


def test_every_question_answered_and_only_those(client, coordinator, patient_id):
    body = call_body(patient_id)
    body["answers"].pop("pain-now")
    body["answers"]["made-up"] = True
    refused = client.post("/triage-calls", json=body, headers=coordinator)
    assert_problem(refused, 422)
    assert sorted(refused.get_json()["errors"]["answers"]) == ["made-up: not a question of chest-pain",
                                                               "pain-now: not answered"]
    assert client.get(f"/triage-calls?patient_id={patient_id}", headers=coordinator).get_json()["total"] == 0


def test_book_within_days_carries_its_days(client, runtime, coordinator, patient_id):
    call = client.post("/triage-calls", json=call_body(patient_id, "fall", yes=("fell-before",)),
                       headers=coordinator).get_json()
    assert (call["disposition"], call["book_within_days"]) == ("book-within-days", 7)
    assert outbox(runtime, "monitoring.triage-recorded")[0].data["book_within_days"] == 7


def test_monitoring_time_needs_an_enrolment_and_is_announced(client, runtime, coordinator, patient_id):
    body = {"patient_id": str(patient_id), "activity": "review", "minutes": 12,
            "performed_at": (NOW - timedelta(minutes=30)).isoformat()}
    assert_problem(client.post("/monitoring-time", json=body, headers=coordinator), 409)
    enrolment = enrol(client, coordinator, patient_id)
    recorded = client.post("/monitoring-time", json=body, headers=coordinator)
    assert recorded.status_code == 201 and recorded.get_json()["enrolment_id"] == enrolment["id"]
    assert_problem(client.post("/monitoring-time", json={**body, "performed_at": (NOW + timedelta(hours=1))
                                                         .isoformat()}, headers=coordinator), 422)
    [event] = outbox(runtime, "monitoring.time-recorded")
    assert (event.data["minutes"], event.data["performed_on"]) == (12, "2026-03-02")
    assert client.get(f"/monitoring-time?patient_id={patient_id}", headers=coordinator).get_json()["total"] == 1
