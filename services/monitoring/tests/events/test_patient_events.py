"""The patients service's events: the time zone days are counted in, and the
end of monitoring for a patient who died or left."""
from datetime import datetime, timezone

from carebridge.testing import deliver, outbox

import support
from support import enrol, reading, send_batch


def test_a_patient_who_died_has_monitoring_ended_and_open_alerts_closed(client, runtime, coordinator, gateway,
                                                                       patient_id):
    enrolment = enrol(client, coordinator, patient_id, measures=("spo2",), condition="general")
    send_batch(client, gateway, [reading("spo2", 85, datetime(2026, 3, 2, 13, tzinfo=timezone.utc),
                                         serial=enrolment["device"]["serial"])])
    assert deliver(runtime, support.patient_event("patients.patient-updated", patient_id, revision=2,
                                                  status="deceased")) == "applied"
    assert client.get(f"/enrolments/{enrolment['id']}", headers=coordinator).get_json()["status"] == "ended"
    assert [e.data["reason"] for e in outbox(runtime, "monitoring.alert-closed")] == ["enrolment-ended"]
    enrol(client, coordinator, patient_id, expect=409)


def test_the_patients_time_zone_is_the_enrolments_and_follows_a_move(client, runtime, coordinator, patient_id):
    enrolment = enrol(client, coordinator, patient_id, time_zone="Asia/Tokyo")
    assert enrolment["time_zone"] == "America/Chicago"   # the patient's own wins
    deliver(runtime, support.patient_event("patients.patient-updated", patient_id, revision=3,
                                           time_zone="Europe/Lisbon", changed_fields=["time_zone"]))
    assert client.get(f"/enrolments/{enrolment['id']}", headers=coordinator).get_json()["time_zone"] == \
        "Europe/Lisbon"
    # An older revision arriving late changes nothing.
    deliver(runtime, support.patient_event("patients.patient-updated", patient_id, revision=2,
                                           time_zone="America/Denver", changed_fields=["time_zone"]))
    assert client.get(f"/enrolments/{enrolment['id']}", headers=coordinator).get_json()["time_zone"] == \
        "Europe/Lisbon"
