"""Therapists are a token role, as they are a care-team role in the
directory (issue 25, item 13): care-team scoped, with the clinical staff."""
from carebridge.auth import (CARE_TEAM_SCOPED_ROLES, CLINICAL_READERS, CLINICAL_ROLES, STAFF_ROLES, TokenVerifier,
                             issue_token)
from carebridge.config import Settings


def test_a_therapists_token_is_accepted_as_a_therapist():
    settings = Settings.from_env("t", {})
    token = issue_token(settings, "therapist", subject="therapist-1")
    principal = TokenVerifier(settings).verify(token)
    assert principal.roles == {"therapist"} and not principal.sees_all_patients


def test_therapists_are_grouped_where_clinicians_are():
    assert "therapist" in CARE_TEAM_SCOPED_ROLES
    assert {"therapist"} <= set(CLINICAL_ROLES) & set(CLINICAL_READERS) & set(STAFF_ROLES)
