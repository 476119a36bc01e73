"""patients.care-team-changed keeps the access projection, newest revision wins."""
import uuid
from datetime import timedelta

from carebridge.testing import care_team_event, care_team_member, deliver


def team_event(team_id, patient_id, revision, members):
    return care_team_event(patient_id, members, care_team_id=team_id, revision=revision)


def test_membership_opens_and_a_stale_revision_does_not_reopen_access(client, auth, runtime, clock, patient_id):
    nurse, team = uuid.uuid4(), uuid.uuid4()
    member = care_team_member(nurse, "nurse", since=clock.now() - timedelta(days=1))
    summary = f"/coverages/summary?patient_id={patient_id}"
    assert client.get(summary, headers=auth("nurse", sub=nurse)).status_code == 403
    first = team_event(team, patient_id, 1, [member])
    assert deliver(runtime, first) == "applied"
    assert deliver(runtime, first) == "duplicate"
    assert client.get(summary, headers=auth("nurse", sub=nurse)).status_code == 200
    deliver(runtime, team_event(team, patient_id, 3, []))
    deliver(runtime, team_event(team, patient_id, 2, [member]))  # late and stale
    assert client.get(summary, headers=auth("nurse", sub=nurse)).status_code == 403
