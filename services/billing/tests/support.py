"""Builders the billing tests share (imported by the tests and by conftest.py)."""
import uuid
from datetime import datetime, timedelta, timezone

from carebridge.testing import make_event
from carebridge_billing.payers import PayerAdapter, PayerUnavailable
from carebridge_billing.payers.simulated import SimulatedPayer


def _unless_down(name):
    def call(self, *args):
        self.calls.append(name)
        if self.down:
            raise PayerUnavailable("connection refused")
        return getattr(self.simulated, name)(*args)
    return call


class OutagePayer(PayerAdapter):
    """The simulated payer, which stops answering while `down` is set."""
    check_eligibility = _unless_down("check_eligibility")
    submit_claim = _unless_down("submit_claim")
    submit_prior_authorization = _unless_down("submit_prior_authorization")
    fetch_claim_status = _unless_down("fetch_claim_status")
    fetch_prior_authorization_status = _unless_down("fetch_prior_authorization_status")

    def __init__(self):
        self.simulated = SimulatedPayer()
        self.down = False
        self.calls = []


def money(amount, currency="USD"):
    return {"amount": amount, "currency": currency}


def coverage_body(patient_id, **overrides):
    body = {
        "patient_id": str(patient_id), "payer_id": "acme-health", "plan_id": "ACME-PPO-2026",
        "member_id": "ACM123456", "group_id": "GRP-77", "order": "primary", "effective_start": "2026-01-01",
        "copays": {"specialist": money("30.00"), "primary-care": money("25.00")},
        "coinsurance_percent": "20", "deductible": money("1000.00"), "out_of_pocket_max": money("3000.00"),
        "deductible_met": money("400.00"), "out_of_pocket_met": money("900.00"),
    }
    body.update(overrides)
    return body


APPOINTMENT_TYPES = {"72148": "mri-lumbar-spine", "99214": "follow-up", "99244": "specialist-consult",
                     "97110": "physical-therapy", "G2012": "telehealth-check-in", "93306": "echocardiogram",
                     "99204": "new-patient"}


def appointment_event(kind, patient_id, service_code="99214", *, appointment_id=None, start=None,
                      appointment_type_code=None, **extra):
    """A real scheduling.appointment-<kind> envelope."""
    start = start or datetime(2026, 3, 10, 15, 0, tzinfo=timezone.utc)
    data = {
        "appointment_id": appointment_id or uuid.uuid4(), "patient_id": patient_id,
        "practitioner_id": uuid.uuid4(),
        "appointment_type_code": appointment_type_code or APPOINTMENT_TYPES.get(service_code, "follow-up"),
        "service_code": service_code, "setting": "outpatient-clinic", "start": start,
        "end": start + timedelta(minutes=30),
        "status": {"booked": "booked", "cancelled": "cancelled", "completed": "fulfilled",
                   "missed": "noshow"}[kind],
    }
    if kind == "completed":
        data["completed_at"] = start + timedelta(minutes=30)
    if kind == "cancelled":
        data["reason_code"] = "patient-request"
    if kind == "missed":
        data.update(detected_at=start + timedelta(minutes=20), grace_minutes=15)
    data.update(extra)
    return make_event(f"scheduling.appointment-{kind}", data)


def if_match(auth_headers, etag):
    return {**auth_headers, "If-Match": etag}
