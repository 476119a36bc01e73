"""The payer jobs: sending what is due, asking about what is pending, and
surviving a payer outage with a visible, retried state."""
import logging
import uuid
from datetime import timedelta

from sqlalchemy import select

from support import appointment_event
from carebridge.testing import deliver, outbox
from carebridge_billing.jobs.payer_status import PAYER_STATUS
from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS
from carebridge_billing.persistence.claims import Claim
from carebridge_billing.persistence.coverages import PlanYearAccumulator
from carebridge_billing.persistence.prior_auths import PriorAuthorization


def the_claim(runtime):
    with runtime.db.transaction() as session:
        return session.scalars(select(Claim)).one()


def the_prior_auth(runtime):
    with runtime.db.transaction() as session:
        return session.scalars(select(PriorAuthorization)).one()


def completed_visit(runtime, patient_id, code="99214", **extra):
    deliver(runtime, appointment_event("completed", patient_id, code, **extra))
    return the_claim(runtime)


def test_nothing_to_do_is_quiet(runtime, payer, caplog):
    with caplog.at_level(logging.INFO, logger="carebridge_billing"):
        assert PAYER_SUBMISSIONS.run(runtime) == 0
        assert PAYER_STATUS.run(runtime) == 0
    assert caplog.records == [] and payer.calls == []


def test_a_draft_waits_for_its_review_hold_then_is_submitted(runtime, payer, make_coverage, patient_id, clock):
    make_coverage(patient_id)
    completed_visit(runtime, patient_id)
    clock.advance(minutes=59)
    assert PAYER_SUBMISSIONS.run(runtime) == 0
    clock.advance(minutes=1)
    assert PAYER_SUBMISSIONS.run(runtime) == 1
    claim = the_claim(runtime)
    assert (claim.status, claim.submission_attempts, claim.payer_claim_id) == (
        "submitted", 1, f"SIM-C-{claim.id.hex[:16].upper()}")
    [event] = outbox(runtime, "billing.claim-submitted")
    assert event.data["service_codes"] == ["99214"] and event.data["billed"] == {"amount": "185.00",
                                                                                 "currency": "USD"}


def test_a_claim_without_a_needed_authorization_is_denied_197_and_counts_nothing(runtime, payer, make_coverage,
                                                                               patient_id, clock):
    make_coverage(patient_id)  # 400 of 1,000 deductible, 900 of 3,000 out of pocket met
    completed_visit(runtime, patient_id, "93306")  # the plan needs authorization for it; the visit had none
    clock.advance(hours=1)
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    claim = the_claim(runtime)
    assert (claim.status, claim.reason_codes, claim.paid) == ("denied", ["197"], None)
    [denied] = outbox(runtime, "billing.claim-denied")
    assert denied.data["reason_codes"] == ["197"] and denied.data["claim_id"] == str(claim.id)
    # What the patient's letter says: the day of the service, a first answer (not an appeal's).
    assert (denied.data["service_date"], denied.data["after_appeal"]) == (claim.service_date.isoformat(), False)
    assert outbox(runtime, "billing.claim-paid") == []
    with runtime.db.transaction() as session:
        accumulator = session.scalars(select(PlanYearAccumulator)).one()
        assert (str(accumulator.deductible_met), str(accumulator.out_of_pocket_met)) == ("400.00", "900.00")


def test_paid_office_visit_records_the_share_and_updates_amounts_met(runtime, payer, make_coverage, patient_id,
                                                                    clock):
    make_coverage(patient_id, copays={})  # no copays: deductible then coinsurance
    completed_visit(runtime, patient_id, "99214")
    clock.advance(hours=1)
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(hours=1)
    PAYER_STATUS.run(runtime)
    assert the_claim(runtime).status == "accepted"
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    claim = the_claim(runtime)
    # 185 toward the 600 of deductible left; nothing for coinsurance.
    assert (claim.status, str(claim.paid), str(claim.deductible), str(claim.patient_responsibility)) == (
        "paid", "0.00", "185.00", "185.00")
    [paid] = outbox(runtime, "billing.claim-paid")
    assert paid.data["paid"] == {"amount": "0.00", "currency": "USD"}
    assert paid.data["patient_responsibility"] == {"amount": "185.00", "currency": "USD"}
    assert (paid.data["billed"], paid.data["service_date"]) == ({"amount": "185.00", "currency": "USD"},
                                                                claim.service_date.isoformat())
    with runtime.db.transaction() as session:
        accumulator = session.scalars(select(PlanYearAccumulator)).one()
        assert (str(accumulator.deductible_met), str(accumulator.out_of_pocket_met)) == ("585.00", "1085.00")
    assert [h.to_status for h in claim.history] == ["draft", "submitted", "accepted", "paid"]
    assert PAYER_STATUS.run(runtime) == 0  # settled: no more questions


def test_payer_outage_leaves_a_visible_failed_submission_that_is_retried(runtime, payer, make_coverage,
                                                                         patient_id, clock):
    make_coverage(patient_id)
    completed_visit(runtime, patient_id)
    payer.down = True
    clock.advance(hours=1)
    assert PAYER_SUBMISSIONS.run(runtime) == 1
    claim = the_claim(runtime)
    assert (claim.status, claim.submission_attempts, claim.last_error) == ("submission-failed", 1,
                                                                          "payer-unavailable")
    assert claim.next_action_at == clock.now() + timedelta(minutes=5)
    clock.advance(minutes=5)
    PAYER_SUBMISSIONS.run(runtime)
    claim = the_claim(runtime)
    assert (claim.submission_attempts, claim.next_action_at) == (2, clock.now() + timedelta(minutes=10))
    assert outbox(runtime, "billing.claim-submitted") == []
    payer.down = False
    clock.advance(minutes=10)
    PAYER_SUBMISSIONS.run(runtime)
    claim = the_claim(runtime)
    assert (claim.status, claim.submission_attempts, claim.last_error) == ("submitted", 3, None)
    assert [h.to_status for h in claim.history] == ["draft", "submission-failed", "submitted"]
    assert len(outbox(runtime, "billing.claim-submitted")) == 1


def test_an_outage_while_asking_keeps_the_claim_and_asks_again(runtime, payer, make_coverage, patient_id, clock):
    make_coverage(patient_id)
    completed_visit(runtime, patient_id)
    clock.advance(hours=1)
    PAYER_SUBMISSIONS.run(runtime)
    payer.down = True
    clock.advance(days=1)
    assert PAYER_STATUS.run(runtime) == 1
    claim = the_claim(runtime)
    assert (claim.status, claim.last_error) == ("submitted", "payer-unavailable")
    payer.down = False
    clock.advance(minutes=30)
    PAYER_STATUS.run(runtime)
    assert the_claim(runtime).status == "paid"


def test_a_broken_row_does_not_stop_the_others(runtime, payer, make_coverage, clock, monkeypatch):
    first, second = uuid.uuid4(), uuid.uuid4()
    for patient in (first, second):
        make_coverage(patient)
        deliver(runtime, appointment_event("completed", patient, "99214"))
    from carebridge_billing.jobs import payer_submissions
    real = payer_submissions.send_claim

    def broken_for_first(session, claim, *args):
        if claim.patient_id == first:
            raise RuntimeError("a bug")
        return real(session, claim, *args)

    monkeypatch.setattr(payer_submissions, "send_claim", broken_for_first)
    clock.advance(hours=1)
    assert PAYER_SUBMISSIONS.run(runtime) == 1
    with runtime.db.transaction() as session:
        statuses = {c.patient_id: c.status for c in session.scalars(select(Claim))}
    assert statuses == {first: "draft", second: "submitted"}


def test_prior_auth_outage_is_retried_and_the_request_sent_once_the_payer_is_back(runtime, payer, make_coverage,
                                                                                  patient_id, clock):
    make_coverage(patient_id)
    deliver(runtime, appointment_event("booked", patient_id, "72148"))
    payer.down = True
    PAYER_SUBMISSIONS.run(runtime)
    prior_auth = the_prior_auth(runtime)
    assert (prior_auth.status, prior_auth.submitted_at, prior_auth.submission_attempts, prior_auth.last_error) == (
        "requested", None, 1, "payer-unavailable")
    payer.down = False
    clock.advance(minutes=5)
    PAYER_SUBMISSIONS.run(runtime)
    prior_auth = the_prior_auth(runtime)
    assert prior_auth.submitted_at == clock.now() and prior_auth.payer_reference.startswith("SIM-PA-")
