"""scheduling.appointment-cancelled / -missed: units go back; requests for
nothing but cancelled visits are withdrawn."""
import uuid

from sqlalchemy import select

from support import appointment_event
from carebridge.testing import deliver
from carebridge_billing.persistence.prior_auths import PriorAuthorization


def state(runtime, patient_id):
    with runtime.db.transaction() as session:
        return [(pa.status, sorted(a.state for a in pa.allocations))
                for pa in session.scalars(select(PriorAuthorization).where(PriorAuthorization.patient_id == patient_id))]


def test_cancelling_the_only_visit_withdraws_the_request(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    appointment_id = uuid.uuid4()
    deliver(runtime, appointment_event("booked", patient_id, "72148", appointment_id=appointment_id))
    cancelled = appointment_event("cancelled", patient_id, "72148", appointment_id=appointment_id)
    assert deliver(runtime, cancelled) == "applied"
    assert deliver(runtime, cancelled) == "duplicate"
    assert state(runtime, patient_id) == [("withdrawn", ["released"])]


def test_a_visit_cancelled_to_be_rebooked_keeps_the_request_open(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    appointment_id = uuid.uuid4()
    deliver(runtime, appointment_event("booked", patient_id, "72148", appointment_id=appointment_id))
    deliver(runtime, appointment_event("cancelled", patient_id, "72148", appointment_id=appointment_id,
                                       reason_code="rescheduled"))
    assert state(runtime, patient_id) == [("requested", ["released"])]
    deliver(runtime, appointment_event("booked", patient_id, "72148"))
    assert state(runtime, patient_id) == [("requested", ["released", "reserved"])]


def test_cancelling_one_of_several_visits_keeps_the_request(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    first = uuid.uuid4()
    deliver(runtime, appointment_event("booked", patient_id, "97110", appointment_id=first))
    deliver(runtime, appointment_event("booked", patient_id, "97110"))
    deliver(runtime, appointment_event("cancelled", patient_id, "97110", appointment_id=first))
    assert state(runtime, patient_id) == [("requested", ["released", "reserved"])]


def test_a_missed_visit_gives_its_unit_back_but_keeps_the_request(runtime, make_coverage, patient_id):
    make_coverage(patient_id)
    appointment_id = uuid.uuid4()
    deliver(runtime, appointment_event("booked", patient_id, "72148", appointment_id=appointment_id))
    missed = appointment_event("missed", patient_id, "72148", appointment_id=appointment_id)
    assert deliver(runtime, missed) == "applied"
    assert deliver(runtime, missed) == "duplicate"
    assert state(runtime, patient_id) == [("requested", ["released"])]


def test_cancelling_an_unknown_visit_changes_nothing(runtime, patient_id):
    assert deliver(runtime, appointment_event("cancelled", patient_id, "72148")) == "applied"
    assert state(runtime, patient_id) == []
