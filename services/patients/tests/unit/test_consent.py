import uuid
from datetime import datetime, timedelta, timezone

from carebridge_patients.domain.consent import Consent, granted, withdrawn

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
NURSE, COORDINATOR = uuid.uuid4(), uuid.uuid4()


def test_a_grant_records_who_and_when_and_defaults_missing_scopes_to_no():
    consent = granted({"appointments": True}, by=NURSE, at=T0)
    assert consent.scopes() == {"appointments": True, "care_plan": False, "billing": False}
    assert (consent.recorded_by, consent.recorded_at, consent.withdrawn_at) == (NURSE, T0, None)


def test_withdrawal_shares_nothing_and_keeps_who_granted_what():
    given = granted({"appointments": True, "care_plan": True, "billing": True}, by=NURSE, at=T0)
    later = T0 + timedelta(days=3)
    gone = withdrawn(given, by=COORDINATOR, at=later)
    assert gone.scopes() == {"appointments": False, "care_plan": False, "billing": False}
    assert gone.is_withdrawn and (gone.withdrawn_by, gone.withdrawn_at) == (COORDINATOR, later)
    assert (gone.recorded_by, gone.recorded_at) == (NURSE, T0)


def test_withdrawing_twice_keeps_the_first_withdrawal():
    gone = withdrawn(granted({"billing": True}, by=NURSE, at=T0), by=COORDINATOR, at=T0)
    assert withdrawn(gone, by=NURSE, at=T0 + timedelta(hours=1)) == gone


def test_a_new_grant_after_a_withdrawal_lifts_it():
    gone = withdrawn(Consent(appointments=True), by=COORDINATOR, at=T0)
    again = granted({"appointments": True}, by=NURSE, at=T0 + timedelta(days=1))
    assert not again.is_withdrawn and again.appointments and not gone.appointments
