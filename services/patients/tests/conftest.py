"""This suite's own world: the staff and records its tests start from (the
kit's plugin gives `runtime`, `app`, `client`, `clock` and `auth`)."""
import pytest

from support import Staff


@pytest.fixture
def staff(client, auth) -> Staff:
    return Staff(client, auth)


@pytest.fixture
def coordinator(auth):
    return auth("coordinator")


@pytest.fixture
def patient(staff):
    return staff.patient()


@pytest.fixture
def team_nurse(staff, patient):
    """Headers of a nurse who is on the patient's active care team from now on."""
    nurse = staff.practitioner("nurse")
    staff.team(patient["id"], [nurse["id"]])
    return staff.headers_of(nurse)


@pytest.fixture
def outsider(staff):
    """A nurse in the directory who is on none of the patient's teams."""
    return staff.headers_of(staff.practitioner("nurse", family_name="Outsider"))
