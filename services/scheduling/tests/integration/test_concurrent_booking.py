"""Double booking is impossible by construction: many clients racing for the
same few slots on PostgreSQL (one connection each, like API workers in
several replicas) end with exactly one booking per slot; every loser is told
409."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from carebridge.clock import now
from carebridge.testing import outbox
from carebridge.testing.helpers import wait_for
from carebridge_scheduling.persistence.appointment_queries import OverlapRefused, overlap_guarded
from carebridge_scheduling.persistence.models import Appointment
from support import add_location, add_schedule, register_patient

pytestmark = pytest.mark.integration

SLOTS = [datetime(2026, 3, 3, hour, tzinfo=ZoneInfo("America/New_York")) for hour in (10, 11, 12)]
# 18 clients at once: as many as one runtime's connection pool (10 + 10
# overflow) serves without making anyone wait for a connection.
CLIENTS_PER_SLOT = 6


@pytest.fixture
def pg_runtime(request, db_backend, make_runtime, service, runtime_settings, tmp_path):
    """PostgreSQL whatever --db says: this is about its concurrency."""
    if db_backend == "postgresql":
        # The suite's own per-test database. (The kit's postgres_databases
        # would hand out a database of the same name, not emptied, when the
        # suite itself runs on PostgreSQL.)
        return request.getfixturevalue("runtime")
    url = request.getfixturevalue("postgres_databases").fresh(service, tmp_path)
    return make_runtime(service, database_url=url, **runtime_settings)


def test_racing_clients_get_one_booking_per_slot_and_409_for_the_rest(pg_runtime, make_app, service, auth, clock):
    runtime = pg_runtime
    clinic = add_location(runtime, "outpatient-clinic")
    practitioner = uuid.uuid4()
    add_schedule(runtime, practitioner, [{"weekday": 1, "start_time": "09:00", "end_time": "17:00",
                                          "location_id": clinic}], buffer_minutes=5)
    attempts = [(slot, register_patient(runtime)) for slot in SLOTS for _ in range(CLIENTS_PER_SLOT)]
    app = make_app(service, runtime)
    headers = auth("coordinator")
    start_together = threading.Barrier(len(attempts))

    def attempt(slot_and_patient):
        slot, patient = slot_and_patient
        client = app.test_client()
        body = {"patient_id": str(patient), "practitioner_id": str(practitioner),
                "appointment_type_code": "follow-up", "start": slot.isoformat()}
        start_together.wait(timeout=30)
        response = client.post("/appointments", json=body, headers=headers)
        return slot, response.status_code, response.get_json()

    with ThreadPoolExecutor(len(attempts)) as pool:
        results = list(pool.map(attempt, attempts))

    for slot in SLOTS:
        statuses = sorted(status for s, status, _ in results if s == slot)
        assert statuses == [201] + [409] * (CLIENTS_PER_SLOT - 1), (slot, statuses)
    assert all(body["reason"] == "practitioner-busy" for _, status, body in results if status == 409)
    with runtime.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == len(SLOTS)
    assert len(outbox(runtime, "scheduling.appointment-booked")) == len(SLOTS)


def test_the_database_itself_refuses_an_overlap_the_application_missed(pg_runtime, clock):
    """Even a write that skips every check cannot double-book."""
    runtime = pg_runtime
    clinic = add_location(runtime, "outpatient-clinic")
    practitioner, start = uuid.uuid4(), SLOTS[0]

    def appointment(offset_minutes):
        begins = start + timedelta(minutes=offset_minutes)
        return Appointment(id=uuid.uuid4(), patient_id=uuid.uuid4(), practitioner_id=practitioner,
                           location_id=clinic, appointment_type_code="follow-up", service_code="99214",
                           setting="outpatient-clinic", start_at=begins, end_at=begins + timedelta(minutes=30),
                           blocked_until=begins + timedelta(minutes=35), status="booked", start_set_at=now(),
                           created_at=now(), updated_at=now())

    with runtime.db.transaction() as session:
        session.add(appointment(0))
    with pytest.raises(IntegrityError, match="ex_appointments_practitioner_overlap"):
        with runtime.db.transaction() as session:
            session.add(appointment(34))  # starts inside the first visit's buffer
    with runtime.db.transaction() as session:
        session.add(appointment(35))


def test_a_writer_of_the_same_practitioner_waits_its_turn_instead_of_racing_into_a_deadlock(pg_runtime, clock):
    """Two clashing inserts at the same moment could each wait for the
    other's row and end in a deadlock (a 503 where the loser should hear
    409): a second writer of the same practitioner's visits waits for the
    first to finish, then meets its row as an overlap."""
    runtime = pg_runtime
    clinic = add_location(runtime, "outpatient-clinic")
    practitioner, start = uuid.uuid4(), SLOTS[0]

    def appointment():
        return Appointment(id=uuid.uuid4(), patient_id=uuid.uuid4(), practitioner_id=practitioner,
                           location_id=clinic, appointment_type_code="follow-up", service_code="99214",
                           setting="outpatient-clinic", start_at=start, end_at=start + timedelta(minutes=30),
                           blocked_until=start + timedelta(minutes=35), status="booked", start_set_at=now(),
                           created_at=now(), updated_at=now())

    def waiting_for_a_turn() -> int:
        with runtime.db.engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                          "AND NOT granted"))

    second_outcome = []

    def second_writer():
        try:
            with runtime.db.transaction() as session, overlap_guarded(session):
                session.add(appointment())
            second_outcome.append("booked")
        except OverlapRefused as refused:
            second_outcome.append("refused-patient" if refused.patient else "refused-practitioner")

    with runtime.db.transaction() as session:
        with overlap_guarded(session):
            session.add(appointment())
        second = threading.Thread(target=second_writer)
        second.start()
        wait_for(waiting_for_a_turn, message="the second writer never waited for the first")
        assert second_outcome == []
    second.join(timeout=30)
    assert second_outcome == ["refused-practitioner"]


def test_one_patient_racing_into_several_practitioners_schedules_gets_one_booking(pg_runtime, make_app, service,
                                                                                    auth, clock):
    """The patient check was an unlocked EXISTS: two bookings of one patient
    with two practitioners at the same time both went through."""
    runtime = pg_runtime
    clinic = add_location(runtime, "outpatient-clinic")
    practitioners = [uuid.uuid4() for _ in range(8)]
    for practitioner in practitioners:
        add_schedule(runtime, practitioner, [{"weekday": 1, "start_time": "09:00", "end_time": "17:00",
                                              "location_id": clinic}])
    patient = register_patient(runtime)
    app = make_app(service, runtime)
    headers = auth("coordinator")
    start_together = threading.Barrier(len(practitioners))

    def attempt(practitioner):
        client = app.test_client()
        body = {"patient_id": str(patient), "practitioner_id": str(practitioner),
                "appointment_type_code": "follow-up", "start": SLOTS[0].isoformat()}
        start_together.wait(timeout=30)
        response = client.post("/appointments", json=body, headers=headers)
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(len(practitioners)) as pool:
        results = list(pool.map(attempt, practitioners))

    assert sorted(status for status, _ in results) == [201] + [409] * (len(practitioners) - 1), results
    assert all(body["reason"] == "patient-busy" for status, body in results if status == 409)
    with runtime.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)
                              .where(Appointment.patient_id == patient)) == 1
    assert len(outbox(runtime, "scheduling.appointment-booked")) == 1


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_the_database_itself_refuses_two_visits_of_one_patient_at_once(database, request, clock):
    """Even a write that skips every check cannot put a patient in two places."""
    runtime = request.getfixturevalue("pg_runtime" if database == "postgresql" else "runtime")
    if database == "sqlite" and runtime.db.dialect != "sqlite":
        pytest.skip("the suite runs on PostgreSQL")
    clinic = add_location(runtime, "outpatient-clinic")
    patient, start = uuid.uuid4(), SLOTS[1]

    def appointment(offset_minutes, status="booked"):
        begins = start + timedelta(minutes=offset_minutes)
        return Appointment(id=uuid.uuid4(), patient_id=patient, practitioner_id=uuid.uuid4(),
                           location_id=clinic, appointment_type_code="follow-up", service_code="99214",
                           setting="outpatient-clinic", start_at=begins, end_at=begins + timedelta(minutes=30),
                           blocked_until=begins + timedelta(minutes=35), status=status, start_set_at=now(),
                           created_at=now(), updated_at=now())

    with runtime.db.transaction() as session:
        session.add(appointment(0))
    with pytest.raises(IntegrityError, match="ex_appointments_patient_overlap"):
        with runtime.db.transaction() as session:
            session.add(appointment(29))
    with runtime.db.transaction() as session:
        session.add(appointment(30))                          # back to back is fine
        session.add(appointment(10, status="cancelled"))      # a cancelled visit holds no time
