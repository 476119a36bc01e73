"""patients.care-team-changed keeps the access projection current."""
import uuid
from datetime import datetime

from carebridge.testing import assert_problem, care_team_event, deliver


def test_joining_and_leaving_the_care_team_opens_and_closes_access(runtime, world, book, client, auth):
    appointment = book(datetime.fromisoformat("2026-03-03T15:00:00+00:00"))
    nurse = uuid.uuid4()
    url, headers = f"/appointments/{appointment['id']}", auth("nurse", sub=nurse)
    assert_problem(client.get(url, headers=headers), 403)
    team = uuid.uuid4()
    first = care_team_event(world.patient_id, {nurse: "nurse"}, revision=1, care_team_id=team)
    assert deliver(runtime, first) == "applied" and deliver(runtime, first) == "duplicate"
    assert client.get(url, headers=headers).status_code == 200
    deliver(runtime, care_team_event(world.patient_id, [], revision=2, care_team_id=team))
    assert_problem(client.get(url, headers=headers), 403)
