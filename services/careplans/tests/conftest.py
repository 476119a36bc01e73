import uuid

import pytest

from carebridge.testing import care_team_event, deliver
from support import CareTeam


@pytest.fixture
def team(runtime, clock) -> CareTeam:
    """A patient with an active care team (lead coordinator, nurse,
    physician, specialist, members for a month) known to the service, and a
    nurse who is not on it."""
    team = CareTeam(patient_id=uuid.uuid4(), care_team_id=uuid.uuid4(), coordinator_id=uuid.uuid4(),
                    nurse_id=uuid.uuid4(), physician_id=uuid.uuid4(), specialist_id=uuid.uuid4(),
                    outsider_id=uuid.uuid4())
    deliver(runtime, care_team_event(team.patient_id, team.roles, care_team_id=team.care_team_id,
                                     lead_coordinator_id=team.coordinator_id))
    return team


@pytest.fixture
def as_(auth, team):
    """as_("nurse") -> headers of the team's nurse (outsider: a nurse not on the team)."""
    def headers(who: str, **extra) -> dict:
        subjects = {"coordinator": team.coordinator_id, "nurse": team.nurse_id, "physician": team.physician_id,
                    "specialist": team.specialist_id, "outsider": team.outsider_id}
        role = "nurse" if who == "outsider" else who
        return {**auth(role, sub=subjects.get(who, uuid.uuid4())), **extra}
    return headers
