"""A visit that needs prior authorization is not billed while the payer has
not approved it (the payer would deny the claim): the claim is held, with a
billing issue saying why, and goes once the authorization is approved, or
at once when staff override with a reason."""
import uuid

from sqlalchemy import select

from carebridge.testing import assert_problem, deliver, outbox
from carebridge_billing.jobs.payer_status import PAYER_STATUS
from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS
from carebridge_billing.persistence.claims import Claim
from carebridge_billing.persistence.issues import BillingIssue
from carebridge_billing.persistence.prior_auths import PriorAuthorization
from support import appointment_event, if_match

MRI = "72148"


def completed_mri_before_the_payer_decided(runtime, patient_id):
    appointment_id = uuid.uuid4()
    deliver(runtime, appointment_event("booked", patient_id, MRI, appointment_id=appointment_id))
    deliver(runtime, appointment_event("completed", patient_id, MRI, appointment_id=appointment_id))
    with runtime.db.transaction() as session:
        claim = session.scalars(select(Claim)).one()
        assert session.get(PriorAuthorization, claim.prior_auth_id).status == "requested"
        return claim.id


def state(runtime, claim_id):
    with runtime.db.transaction() as session:
        claim = session.get(Claim, claim_id)
        issues = session.scalars(select(BillingIssue).where(BillingIssue.claim_id == claim_id)).all()
        return claim.status, claim.last_error, [(i.category, i.status, len(i.notes)) for i in issues]


def test_the_job_holds_the_claim_until_the_authorization_is_approved(runtime, payer, make_coverage, patient_id,
                                                                     clock):
    make_coverage(patient_id)
    claim_id = completed_mri_before_the_payer_decided(runtime, patient_id)
    clock.advance(hours=1)  # past the review hold; the authorization request goes out, the claim does not
    PAYER_SUBMISSIONS.run(runtime)
    assert "submit_claim" not in payer.calls
    assert state(runtime, claim_id) == ("draft", "awaiting-prior-authorization",
                                        [("insurance-question", "open", 0)])
    clock.advance(minutes=30)
    PAYER_SUBMISSIONS.run(runtime)
    assert "submit_claim" not in payer.calls
    assert len(state(runtime, claim_id)[2]) == 1, "one issue per held claim"
    assert len(outbox(runtime, "billing.issue-opened")) == 1

    clock.advance(days=2)
    PAYER_STATUS.run(runtime)  # the payer approves the authorization
    with runtime.db.transaction() as session:
        assert session.get(PriorAuthorization, session.get(Claim, claim_id).prior_auth_id).status == "approved"
    clock.advance(hours=1)
    PAYER_SUBMISSIONS.run(runtime)
    assert payer.calls.count("submit_claim") == 1
    assert state(runtime, claim_id)[:2] == ("submitted", None)


def test_staff_submit_a_held_claim_only_with_an_override_and_its_reason(client, auth, runtime, payer, make_coverage,
                                                                       patient_id, clock):
    make_coverage(patient_id)
    claim_id = completed_mri_before_the_payer_decided(runtime, patient_id)
    claim = client.get(f"/claims/{claim_id}", headers=auth("billing"))
    refused = assert_problem(client.post(f"/claims/{claim_id}/submit",
                                         headers=if_match(auth("billing"), claim.headers["ETag"])), 409)
    assert (refused["reason"], refused["prior_auth_status"]) == ("awaiting-prior-authorization", "requested")
    assert "submit_claim" not in payer.calls
    sent = client.post(f"/claims/{claim_id}/submit", headers=if_match(auth("billing"), claim.headers["ETag"]),
                       json={"override_reason": "Payer confirmed the authorization by phone."})
    assert sent.status_code == 200 and sent.get_json()["status"] == "submitted", sent.get_json()
    assert payer.calls.count("submit_claim") == 1
    assert state(runtime, claim_id)[2] == [("insurance-question", "open", 1)]
