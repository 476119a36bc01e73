"""Remote patient monitoring charges per patient and calendar month: days
with readings and staff minutes counted at the month boundaries, each code
charged once per period however often the job runs or the events arrive."""
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from carebridge.testing import deliver, make_event
from carebridge_billing.domain.monitoring import month_charges
from carebridge_billing.jobs.monitoring_month_end import MONITORING_MONTH_END
from carebridge_billing.persistence.charges import Charge
from carebridge_billing.persistence.claims import Claim
from carebridge_billing.service_layer.monitoring import last_closed_month

UTC = timezone.utc


def enrolled(runtime, patient_id, started=datetime(2026, 3, 1, 15, tzinfo=UTC)):
    enrolment_id = uuid.uuid4()
    deliver(runtime, make_event("monitoring.enrolment-changed", {
        "enrolment_id": enrolment_id, "patient_id": patient_id, "status": "active", "condition": "heart-failure",
        "measures": ["weight"], "consent_date": started.date(), "started_at": started, "revision": 1}))
    return enrolment_id


def days(runtime, patient_id, enrolment_id, *dates):
    return deliver(runtime, make_event("monitoring.reading-days-recorded", {
        "enrolment_id": enrolment_id, "patient_id": patient_id, "days": list(dates)}))


def minutes(runtime, patient_id, enrolment_id, count, on):
    return deliver(runtime, make_event("monitoring.time-recorded", {
        "time_entry_id": uuid.uuid4(), "enrolment_id": enrolment_id, "patient_id": patient_id,
        "practitioner_id": uuid.uuid4(), "activity": "review", "minutes": count,
        "performed_at": datetime.combine(on, datetime.min.time(), UTC) + timedelta(hours=15), "performed_on": on}))


def charges(runtime, patient_id):
    with runtime.db.transaction() as session:
        return sorted(((c.service_code, c.service_date, str(c.amount)) for c in session.scalars(
            select(Charge).where(Charge.patient_id == patient_id))))


def test_the_counting_rule():
    assert month_charges(15, 19) == month_charges(0, 0)
    assert (month_charges(16, 20).device_days, month_charges(16, 20).first_20_minutes) == (True, True)
    assert month_charges(16, 39).further_20_minutes == 0
    assert month_charges(16, 40).further_20_minutes == 1
    assert month_charges(30, 75).further_20_minutes == 2


def test_a_month_is_closed_once_it_ended_everywhere_and_the_grace_passed():
    grace = timedelta(hours=24)
    assert last_closed_month(datetime(2026, 4, 2, 13, 59, tzinfo=UTC), grace) == date(2026, 2, 1)
    assert last_closed_month(datetime(2026, 4, 2, 14, 0, tzinfo=UTC), grace) == date(2026, 3, 1)
    assert last_closed_month(datetime(2026, 1, 5, tzinfo=UTC), grace) == date(2025, 12, 1)


def test_a_full_month_is_charged_once_at_its_end(runtime, clock, patient_id, make_coverage):
    make_coverage(patient_id)
    enrolment = enrolled(runtime, patient_id)
    # 16 days in March, counted at its boundaries: 1 March and 31 March count, 1 April does not.
    march = [date(2026, 3, 1), *(date(2026, 3, d) for d in range(2, 16)), date(2026, 3, 31)]
    assert days(runtime, patient_id, enrolment, *march[:8]) == "applied"
    days(runtime, patient_id, enrolment, *march[8:], date(2026, 4, 1))
    days(runtime, patient_id, enrolment, date(2026, 3, 2))   # a day told again counts once
    minutes(runtime, patient_id, enrolment, 25, date(2026, 3, 1))
    minutes(runtime, patient_id, enrolment, 20, date(2026, 3, 31))
    minutes(runtime, patient_id, enrolment, 30, date(2026, 4, 1))
    clock.set(datetime(2026, 4, 2, 13, tzinfo=UTC))
    assert MONITORING_MONTH_END.run(runtime) == 0       # March not over everywhere plus the grace yet
    clock.set(datetime(2026, 4, 2, 14, tzinfo=UTC))
    assert MONITORING_MONTH_END.run(runtime) == 4
    assert charges(runtime, patient_id) == [
        ("99453", date(2026, 3, 31), "19.73"), ("99454", date(2026, 3, 31), "43.02"),
        ("99457", date(2026, 3, 31), "47.87"), ("99458", date(2026, 3, 31), "38.49")]   # 45 minutes: 20 + 20
    assert MONITORING_MONTH_END.run(runtime) == 0       # never twice for the same period
    clock.advance(days=2)
    assert MONITORING_MONTH_END.run(runtime) == 0
    with runtime.db.transaction() as session:
        assert len(session.scalars(select(Claim).where(Claim.patient_id == patient_id)).all()) == 4


def test_fifteen_days_and_nineteen_minutes_earn_nothing_and_set_up_waits(runtime, clock, patient_id):
    enrolment = enrolled(runtime, patient_id)
    days(runtime, patient_id, enrolment, *(date(2026, 3, d) for d in range(1, 16)))
    minutes(runtime, patient_id, enrolment, 19, date(2026, 3, 20))
    clock.set(datetime(2026, 4, 3, tzinfo=UTC))
    assert MONITORING_MONTH_END.run(runtime) == 0 and charges(runtime, patient_id) == []
    # April qualifies: the set-up is charged then, once, and self-pay without coverage.
    days(runtime, patient_id, enrolment, *(date(2026, 4, d) for d in range(1, 17)))
    clock.set(datetime(2026, 5, 3, tzinfo=UTC))
    assert MONITORING_MONTH_END.run(runtime) == 2
    assert [code for code, *_ in charges(runtime, patient_id)] == ["99453", "99454"]
    days(runtime, patient_id, enrolment, *(date(2026, 5, d) for d in range(1, 17)))
    clock.set(datetime(2026, 6, 3, tzinfo=UTC))
    assert MONITORING_MONTH_END.run(runtime) == 1
    assert [code for code, *_ in charges(runtime, patient_id)] == ["99453", "99454", "99454"]
    with runtime.db.transaction() as session:
        assert {c.status for c in session.scalars(select(Charge))} == {"self-pay"}


def test_two_enrolments_of_one_patient_share_the_months_days(runtime, clock, patient_id):
    scale, cuff = enrolled(runtime, patient_id), enrolled(runtime, patient_id)
    days(runtime, patient_id, scale, *(date(2026, 3, d) for d in range(1, 11)))
    days(runtime, patient_id, cuff, *(date(2026, 3, d) for d in range(6, 17)))   # 16 distinct days
    clock.set(datetime(2026, 4, 3, tzinfo=UTC))
    assert MONITORING_MONTH_END.run(runtime) == 3   # 99454 once, 99453 per enrolment
    assert [code for code, *_ in charges(runtime, patient_id)] == ["99453", "99453", "99454"]
