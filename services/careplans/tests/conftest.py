import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from careplans_support import CareTeam, care_team_event  # noqa: E402

from carebridge.testing import deliver  # noqa: E402
from carebridge_careplans.service import SERVICE  # noqa: E402


@pytest.fixture
def runtime(make_runtime):
    """The careplans service on a fresh, migrated database (SQLite, or
    PostgreSQL with --db=postgresql) and the in-memory bus."""
    return make_runtime(SERVICE)


@pytest.fixture
def app(make_app, runtime):
    return make_app(SERVICE, runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def team(runtime, frozen_clock) -> CareTeam:
    """A patient with an active care team (lead coordinator, nurse,
    physician, specialist) known to the service, and a nurse who is not on it."""
    team = CareTeam(patient_id=uuid.uuid4(), care_team_id=uuid.uuid4(), coordinator_id=uuid.uuid4(),
                    nurse_id=uuid.uuid4(), physician_id=uuid.uuid4(), specialist_id=uuid.uuid4(),
                    outsider_id=uuid.uuid4())
    deliver(runtime, care_team_event(team, revision=1, since=frozen_clock.now() - timedelta(days=30)))
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
