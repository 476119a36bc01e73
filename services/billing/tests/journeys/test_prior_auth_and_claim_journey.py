"""The whole billing journey from real scheduling envelopes, driven by the
clock: a booked MRI needs prior authorization; the simulated payer pends it,
then approves it; the visit uses the unit; its claim is denied (CARC 50),
appealed and paid; the payment counts toward the patient's deductible and
out-of-pocket maximum. Each step is told through billing's events."""
import uuid

from support import appointment_event, if_match, money
from carebridge.testing import deliver, outbox
from carebridge_billing.jobs.payer_status import PAYER_STATUS
from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS


def published(runtime):
    return [(event.type, event.data.get("status")) for event in outbox(runtime) if event.type.startswith("billing.")]


def test_mri_from_booking_to_paid_appeal(client, auth, runtime, make_coverage, patient_id, payer, clock):
    coverage = make_coverage(patient_id)
    appointment_id = uuid.uuid4()

    deliver(runtime, appointment_event("booked", patient_id, "72148", appointment_id=appointment_id))
    [prior_auth] = client.get(f"/prior-authorizations?patient_id={patient_id}",
                              headers=auth("billing")).get_json()["items"]
    assert (prior_auth["status"], prior_auth["units_reserved"]) == ("requested", 1)

    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(minutes=30)
    PAYER_STATUS.run(runtime)
    clock.advance(days=2)
    PAYER_STATUS.run(runtime)
    prior_auth = client.get(f"/prior-authorizations/{prior_auth['id']}", headers=auth("billing")).get_json()
    assert (prior_auth["status"], prior_auth["authorized_units"]) == ("approved", 1)

    clock.advance(days=6)  # the visit, 2026-03-10
    deliver(runtime, appointment_event("completed", patient_id, "72148", appointment_id=appointment_id))
    prior_auth = client.get(f"/prior-authorizations/{prior_auth['id']}", headers=auth("billing")).get_json()
    assert (prior_auth["units_used"], prior_auth["units_reserved"]) == (1, 0)

    clock.advance(hours=1)  # the claim's review hold
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(hours=1)
    PAYER_STATUS.run(runtime)
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    [claim] = client.get(f"/claims?patient_id={patient_id}", headers=auth("billing")).get_json()["items"]
    assert (claim["status"], [r["code"] for r in claim["reasons"]]) == ("denied", ["50"])
    assert claim["prior_auth_id"] == prior_auth["id"]

    appeal = client.post(f"/claims/{claim['id']}/appeal", headers=if_match(auth("billing"), f'"{claim["version"]}"'))
    assert appeal.get_json()["status"] == "appealed"
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    claim = client.get(f"/claims/{claim['id']}", headers=auth("billing")).get_json()
    # 1,250 MRI: 600 to finish the deductible, then 20% of 650.
    assert (claim["status"], claim["paid"], claim["patient_responsibility"]) == (
        "paid", money("520.00"), money("730.00"))
    assert [h["to_status"] for h in claim["history"]] == [
        "draft", "submitted", "accepted", "denied", "appealed", "paid"]

    coverage = client.get(f"/coverages/{coverage['id']}", headers=auth("billing")).get_json()
    assert coverage["current_plan_year"] == {"starts_on": "2026-01-01", "deductible_met": money("1000.00"),
                                             "out_of_pocket_met": money("1630.00")}
    follow_up = client.post("/estimates", json={"patient_id": str(patient_id), "service_code": "72148"},
                            headers=auth("billing")).get_json()
    assert follow_up["patient_pays"] == money("250.00")  # deductible met: 20% coinsurance only

    assert published(runtime) == [
        ("billing.prior-auth-requested", None), ("billing.prior-auth-decided", "pended"),
        ("billing.prior-auth-decided", "approved"), ("billing.claim-submitted", None),
        ("billing.claim-denied", None), ("billing.claim-paid", None)]


def test_office_visit_with_a_copay_is_paid_without_touching_the_deductible(client, auth, runtime, make_coverage,
                                                                           patient_id, payer, clock):
    coverage = make_coverage(patient_id)
    deliver(runtime, appointment_event("booked", patient_id, "99214"))
    deliver(runtime, appointment_event("completed", patient_id, "99214"))
    clock.advance(hours=1)
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    [claim] = client.get(f"/claims?patient_id={patient_id}", headers=auth("billing")).get_json()["items"]
    assert (claim["status"], claim["paid"], claim["patient_share"]["copay"]) == (
        "paid", money("160.00"), money("25.00"))
    plan_year = client.get(f"/coverages/{coverage['id']}", headers=auth("billing")).get_json()["current_plan_year"]
    assert (plan_year["deductible_met"], plan_year["out_of_pocket_met"]) == (money("400.00"), money("925.00"))
    assert [t for t, _ in published(runtime)] == ["billing.claim-submitted", "billing.claim-paid"]
