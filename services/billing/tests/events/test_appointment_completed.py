"""scheduling.appointment-completed: one charge, a draft claim, a unit used."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from support import appointment_event
from carebridge.bus import PermanentFailure
from carebridge.testing import deliver, outbox
from carebridge_billing.persistence.charges import Charge
from carebridge_billing.persistence.claims import Claim
from carebridge_billing.persistence.prior_auths import PriorAuthorization


def charges(runtime, patient_id):
    with runtime.db.transaction() as session:
        return session.scalars(select(Charge).where(Charge.patient_id == patient_id)).all()


def claims(runtime, patient_id):
    with runtime.db.transaction() as session:
        return session.scalars(select(Claim).where(Claim.patient_id == patient_id)).all()


def test_a_completed_visit_is_charged_and_a_draft_claim_opened(runtime, make_coverage, patient_id, clock):
    coverage = make_coverage(patient_id)
    completed = appointment_event("completed", patient_id, "99214", appointment_type_code="cardiology-follow-up")
    assert deliver(runtime, completed) == "applied"
    [charge] = charges(runtime, patient_id)
    assert (charge.service_code, charge.category, str(charge.amount), charge.currency, charge.status) == (
        "99214", "specialist", "185.00", "USD", "billed")
    assert charge.service_date.isoformat() == "2026-03-10"
    [claim] = claims(runtime, patient_id)
    assert (claim.status, str(claim.coverage_id), str(claim.billed), str(claim.appointment_id)) == (
        "draft", coverage["id"], "185.00", completed.data["appointment_id"])
    assert charge.claim_id == claim.id
    # Held an hour for review before the submission job sends it.
    assert claim.next_action_at == clock.now() + timedelta(hours=1)


def test_a_duplicated_completion_creates_one_charge(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    completed = appointment_event("completed", patient_id, "99214")
    assert deliver(runtime, completed) == "applied"
    assert deliver(runtime, completed) == "duplicate"
    # The same visit completed again under a new event id (a re-sent event).
    again = appointment_event("completed", patient_id, "99214", appointment_id=completed.data["appointment_id"])
    assert deliver(runtime, again) == "applied"
    assert len(charges(runtime, patient_id)) == 1 and len(claims(runtime, patient_id)) == 1


def test_without_coverage_the_charge_is_self_pay_and_no_claim_is_opened(runtime, patient_id):
    deliver(runtime, appointment_event("completed", patient_id, "G2012"))
    [charge] = charges(runtime, patient_id)
    assert (charge.status, charge.claim_id, str(charge.amount)) == ("self-pay", None, "25.00")
    assert claims(runtime, patient_id) == []


def test_the_coverage_in_effect_on_the_service_date_is_billed(runtime, make_coverage, patient_id):
    make_coverage(patient_id, effective_end="2026-02-28")
    deliver(runtime, appointment_event("completed", patient_id, "99214"))  # on March 10
    assert charges(runtime, patient_id)[0].status == "self-pay"


def test_a_visit_with_an_authorization_uses_its_unit(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    appointment_id = uuid.uuid4()
    deliver(runtime, appointment_event("booked", patient_id, "72148", appointment_id=appointment_id))
    deliver(runtime, appointment_event("completed", patient_id, "72148", appointment_id=appointment_id))
    with runtime.db.transaction() as session:
        prior_auth = session.scalars(select(PriorAuthorization)).one()
        assert [a.state for a in prior_auth.allocations] == ["used"]
        charge = session.scalars(select(Charge)).one()
        assert charge.prior_auth_id == prior_auth.id
        assert session.scalars(select(Claim)).one().prior_auth_id == prior_auth.id


def test_an_unpriced_service_code_is_dead_lettered_for_replay(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    with pytest.raises(PermanentFailure):
        deliver(runtime, appointment_event("completed", patient_id, "A9999", appointment_type_code="new-kind"))
    assert charges(runtime, patient_id) == []


def test_an_evening_visit_is_dated_by_its_own_offset(runtime, patient_id):
    evening = datetime(2026, 3, 10, 19, 30, tzinfo=timezone(timedelta(hours=-8)))
    deliver(runtime, appointment_event("completed", patient_id, "99214", start=evening))
    assert charges(runtime, patient_id)[0].service_date.isoformat() == "2026-03-10"


def test_completion_publishes_nothing_until_the_claim_is_submitted(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    deliver(runtime, appointment_event("completed", patient_id, "99214"))
    assert outbox(runtime, "billing.claim-submitted") == []
    with runtime.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 1
