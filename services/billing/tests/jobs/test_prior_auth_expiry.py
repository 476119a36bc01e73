"""Expiry warnings ahead of time, once per threshold, and expiry itself."""
from datetime import date, timedelta

from sqlalchemy import select

from carebridge.testing import outbox
from carebridge_billing.jobs.payer_status import PAYER_STATUS
from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS
from carebridge_billing.jobs.prior_auth_expiry import PRIOR_AUTH_EXPIRY
from carebridge_billing.persistence.prior_auths import PriorAuthorization


def approved_authorization(client, auth, runtime, make_coverage, patient_id, clock, code="72148", units=1):
    make_coverage(patient_id)
    assert client.post("/prior-authorizations", json={"patient_id": str(patient_id), "service_code": code,
                                                      "units": units}, headers=auth("billing")).status_code == 201
    clock.advance(days=2)
    PAYER_STATUS.run(runtime)
    with runtime.db.transaction() as session:
        prior_auth = session.scalars(select(PriorAuthorization)).one()
    assert prior_auth.status == "approved"
    return prior_auth


def test_warnings_go_out_once_per_threshold_then_the_authorization_expires(client, auth, runtime, make_coverage,
                                                                           patient_id, clock):
    prior_auth = approved_authorization(client, auth, runtime, make_coverage, patient_id, clock)
    assert prior_auth.expires_on == date(2026, 3, 4) + timedelta(days=60)
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 0
    clock.set(clock.now().replace(year=2026, month=4, day=19))  # 14 days before 2026-05-03
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 1
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 0
    clock.advance(days=11)  # 3 days before
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 1
    warnings = outbox(runtime, "billing.prior-auth-expiring")
    assert [(w.data["expires_on"], w.data["units_remaining"]) for w in warnings] == [
        ("2026-05-03", 1), ("2026-05-03", 1)]
    clock.advance(days=3)  # the expiry day itself: still valid
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 0
    clock.advance(days=1)
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 1
    decided = outbox(runtime, "billing.prior-auth-decided")
    # First asked two days in, by when the payer had decided: no pended step.
    assert [d.data["status"] for d in decided] == ["approved", "expired"]
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 0


def test_an_authorization_first_seen_close_to_expiry_gets_one_warning(client, auth, runtime, make_coverage,
                                                                      patient_id, clock):
    approved_authorization(client, auth, runtime, make_coverage, patient_id, clock)
    clock.set(clock.now().replace(month=5, day=1))  # 2 days left: past both thresholds
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 1
    clock.advance(hours=6)
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 0
    assert len(outbox(runtime, "billing.prior-auth-expiring")) == 1


def test_a_fully_used_authorization_is_not_warned_about(client, auth, runtime, make_coverage, patient_id, clock):
    from support import appointment_event
    from carebridge.testing import deliver
    approved_authorization(client, auth, runtime, make_coverage, patient_id, clock)
    deliver(runtime, appointment_event("completed", patient_id, "72148"))
    clock.set(clock.now().replace(month=5, day=1))
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 0
    assert outbox(runtime, "billing.prior-auth-expiring") == []
    assert PAYER_SUBMISSIONS.run(runtime) == 1  # the claim for that visit


def test_warning_thresholds_and_claim_hold_come_from_settings(make_runtime, service):
    runtime = make_runtime(service, extra={"PRIOR_AUTH_WARNING_DAYS": "30, 7", "CLAIM_HOLD_MINUTES": "0"})
    settings = runtime.service_settings
    assert settings.prior_auth_warning_days == (30, 7) and settings.claim_hold == timedelta(0)


def test_a_denial_names_the_booked_visits_it_leaves_without_authorization(runtime, make_coverage, patient_id, clock):
    """Issue 25, item 2: the decision says which booked visits depend on it."""
    from support import appointment_event
    from carebridge.testing import deliver
    make_coverage(patient_id, payer_id="bluestone-mutual", plan_id="BSM-BASIC", member_id="BSM777")
    booked = appointment_event("booked", patient_id, "72148")
    deliver(runtime, booked)
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(days=2)
    PAYER_STATUS.run(runtime)
    [denied] = [d for d in outbox(runtime, "billing.prior-auth-decided") if d.data["status"] == "denied"]
    assert denied.data["affected_appointment_ids"] == [str(booked.data["appointment_id"])]


def test_an_expiry_warning_names_the_booked_visits_after_the_expiry(runtime, make_coverage, patient_id, clock):
    from support import appointment_event
    from carebridge.testing import deliver
    make_coverage(patient_id)
    late = appointment_event("booked", patient_id, "72148", start=clock.now() + timedelta(days=80))
    deliver(runtime, late)   # opens a request; the payer approves it for 60 days
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(days=2)
    PAYER_STATUS.run(runtime)
    clock.advance(days=50)
    assert PRIOR_AUTH_EXPIRY.run(runtime) == 1
    [warning] = outbox(runtime, "billing.prior-auth-expiring")
    assert warning.data["affected_appointment_ids"] == [str(late.data["appointment_id"])]
