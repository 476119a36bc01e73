"""scheduling.appointment-booked: prior authorization when the plan needs it."""
import uuid
from datetime import datetime, timezone

from sqlalchemy import select

from support import appointment_event
from carebridge.testing import deliver, outbox
from carebridge_billing.persistence.prior_auths import PriorAuthAllocation, PriorAuthorization


def authorizations(runtime, patient_id):
    with runtime.db.transaction() as session:
        return [(pa.service_code, pa.status, pa.requested_units, sorted(a.state for a in pa.allocations))
                for pa in session.scalars(select(PriorAuthorization).where(PriorAuthorization.patient_id == patient_id)
                                          .order_by(PriorAuthorization.created_at))]


def test_booking_an_mri_opens_a_request_and_tells_billing_staff(runtime, make_coverage, patient_id):
    coverage = make_coverage(patient_id)
    booked = appointment_event("booked", patient_id, "72148")
    assert deliver(runtime, booked) == "applied"
    assert authorizations(runtime, patient_id) == [("72148", "requested", 1, ["reserved"])]
    [event] = outbox(runtime, "billing.prior-auth-requested")
    assert event.data["patient_id"] == str(patient_id) and event.data["coverage_id"] == coverage["id"]
    assert (event.data["payer_id"], event.data["service_code"], event.data["requested_units"]) == (
        "acme-health", "72148", 1)
    assert event.data["appointment_id"] == str(booked.data["appointment_id"])
    assert event.causation_id == str(booked.id) and event.correlation_id == booked.correlation_id


def test_a_duplicate_booking_event_opens_one_request(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    booked = appointment_event("booked", patient_id, "72148")
    assert deliver(runtime, booked) == "applied"
    assert deliver(runtime, booked) == "duplicate"
    assert len(authorizations(runtime, patient_id)) == 1
    assert len(outbox(runtime, "billing.prior-auth-requested")) == 1


def test_an_office_visit_needs_no_authorization(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    deliver(runtime, appointment_event("booked", patient_id, "99214"))
    assert authorizations(runtime, patient_id) == []
    assert outbox(runtime, "billing.prior-auth-requested") == []


def test_without_coverage_no_authorization_is_requested(runtime, patient_id):
    deliver(runtime, appointment_event("booked", patient_id, "72148"))
    assert authorizations(runtime, patient_id) == []


def test_therapy_visits_share_one_request_for_the_plans_units(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    for day in (10, 12, 17):
        deliver(runtime, appointment_event("booked", patient_id, "97110",
                                           start=datetime(2026, 3, day, 15, tzinfo=timezone.utc)))
    assert authorizations(runtime, patient_id) == [("97110", "requested", 12, ["reserved"] * 3)]
    assert len(outbox(runtime, "billing.prior-auth-requested")) == 1


def test_a_second_mri_beyond_the_requested_unit_opens_another_request(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    deliver(runtime, appointment_event("booked", patient_id, "72148"))
    deliver(runtime, appointment_event("booked", patient_id, "72148"))
    assert [a[1] for a in authorizations(runtime, patient_id)] == ["requested", "requested"]


def test_a_valid_approved_authorization_with_units_left_covers_the_booking(runtime, make_coverage, patient_id,
                                                                         client, auth, clock):
    from carebridge_billing.jobs.payer_status import PAYER_STATUS
    from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS
    make_coverage(patient_id)
    response = client.post("/prior-authorizations", json={"patient_id": str(patient_id), "service_code": "97110",
                                                           "units": 2}, headers=auth("billing"))
    assert response.status_code == 201
    clock.advance(days=2)
    PAYER_SUBMISSIONS.run(runtime)
    PAYER_STATUS.run(runtime)
    assert authorizations(runtime, patient_id) == [("97110", "approved", 2, [])]
    deliver(runtime, appointment_event("booked", patient_id, "97110"))
    assert authorizations(runtime, patient_id) == [("97110", "approved", 2, ["reserved"])]
    assert outbox(runtime, "billing.prior-auth-requested")[-1].data["requested_units"] == 2  # only staff's


def test_a_booking_arriving_after_the_cancellation_is_ignored(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    appointment_id = uuid.uuid4()
    deliver(runtime, appointment_event("cancelled", patient_id, "72148", appointment_id=appointment_id))
    deliver(runtime, appointment_event("booked", patient_id, "72148", appointment_id=appointment_id))
    assert authorizations(runtime, patient_id) == []


def test_booking_for_an_unknown_patient_or_service_changes_nothing(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    deliver(runtime, appointment_event("booked", patient_id, "A9999", appointment_type_code="new-kind"))
    deliver(runtime, appointment_event("booked", uuid.uuid4(), "72148"))
    with runtime.db.transaction() as session:
        assert session.scalars(select(PriorAuthAllocation)).all() == []
