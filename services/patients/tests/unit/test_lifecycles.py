import pytest

from carebridge.errors import InvalidTransition
from carebridge_patients.domain.lifecycles import CARE_TEAM_TRANSITIONS, PATIENT_TRANSITIONS, check_transition


@pytest.mark.parametrize("current, requested", [
    ("active", "inactive"), ("inactive", "active"), ("active", "deceased"), ("inactive", "deceased"),
    ("deceased", "deceased"),
])
def test_allowed_patient_status_changes(current, requested):
    check_transition(PATIENT_TRANSITIONS, current, requested)


@pytest.mark.parametrize("requested", ["active", "inactive"])
def test_death_is_final(requested):
    with pytest.raises(InvalidTransition) as refused:
        check_transition(PATIENT_TRANSITIONS, "deceased", requested)
    assert refused.value.extensions["allowed"] == []


@pytest.mark.parametrize("current, requested", [
    ("proposed", "active"), ("active", "suspended"), ("suspended", "active"), ("suspended", "inactive"),
    ("proposed", "inactive"),
])
def test_allowed_care_team_status_changes(current, requested):
    check_transition(CARE_TEAM_TRANSITIONS, current, requested)


@pytest.mark.parametrize("current, requested", [("inactive", "active"), ("active", "proposed"),
                                                ("proposed", "suspended")])
def test_refused_care_team_status_changes_name_the_allowed_ones(current, requested):
    with pytest.raises(InvalidTransition) as refused:
        check_transition(CARE_TEAM_TRANSITIONS, current, requested)
    assert refused.value.extensions["allowed"] == sorted(CARE_TEAM_TRANSITIONS[current])
