"""The no-show sweep: booked visits not checked in by start + grace."""
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from carebridge.testing import outbox
from carebridge_scheduling.jobs.missed_appointments import MISSED_APPOINTMENTS
from carebridge_scheduling.service_layer.sweeps import mark_missed
from support import add_location, add_schedule, register_patient

mark_missed_appointments = MISSED_APPOINTMENTS.run

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2026, 3, 3, 10, tzinfo=NEW_YORK)  # Tuesday, 15:00Z


def status_of(client, headers, appointment):
    return client.get(f"/appointments/{appointment['id']}", headers=headers).get_json()["status"]


def test_a_visit_becomes_a_no_show_when_the_grace_period_ends_and_is_announced_once(runtime, book, clock,
                                                                                   client, coordinator):
    appointment = book(START)
    clock.set(START + timedelta(minutes=14, seconds=59))
    assert mark_missed_appointments(runtime) == 0
    clock.set(START + timedelta(minutes=15))
    assert mark_missed_appointments(runtime) == 1
    assert mark_missed_appointments(runtime) == 0
    assert status_of(client, coordinator, appointment) == "noshow"
    (event,) = outbox(runtime, "scheduling.appointment-missed")
    assert event.data["appointment_id"] == appointment["id"] and event.data["status"] == "noshow"
    assert (event.data["detected_at"], event.data["grace_minutes"]) == ("2026-03-03T15:15:00+00:00", 15)
    assert client.get(f"/appointments/{appointment['id']}", headers=coordinator).headers["ETag"] == '"2"'


def test_visits_checked_in_arrived_or_cancelled_are_not_missed(runtime, book, clock, client, coordinator):
    for minutes, status in ((0, "checked-in"), (60, "arrived"), (120, "cancelled")):
        appointment = book(START + timedelta(minutes=minutes))
        client.put(f"/appointments/{appointment['id']}/status", headers={**coordinator, "If-Match": '"1"'},
                   json={"status": status, "reason_code": "weather" if status == "cancelled" else None})
    clock.set(START + timedelta(days=1))
    assert mark_missed_appointments(runtime) == 0
    assert outbox(runtime, "scheduling.appointment-missed") == []


def test_a_corrected_no_show_is_not_marked_again(runtime, book, clock, client, coordinator):
    appointment = book(START)
    clock.set(START + timedelta(minutes=20))
    mark_missed_appointments(runtime)
    client.put(f"/appointments/{appointment['id']}/status", json={"status": "checked-in"},
               headers={**coordinator, "If-Match": '"2"'})
    clock.advance(hours=1)
    assert mark_missed_appointments(runtime) == 0
    assert status_of(client, coordinator, appointment) == "checked-in"


def test_the_grace_period_is_a_setting(make_runtime, make_app, service, runtime_settings, auth, clock):
    runtime = make_runtime(service, **runtime_settings, extra={"NOSHOW_GRACE_MINUTES": "30"})
    clinic = add_location(runtime, "outpatient-clinic")
    practitioner = uuid.uuid4()
    add_schedule(runtime, practitioner, [{"weekday": 1, "start_time": "09:00", "end_time": "12:00",
                                          "location_id": clinic}])
    client = make_app(service, runtime).test_client()
    response = client.post("/appointments", headers=auth("coordinator"), json={
        "patient_id": str(register_patient(runtime)), "practitioner_id": str(practitioner),
        "appointment_type_code": "follow-up", "start": START.isoformat()})
    assert response.status_code == 201
    clock.set(START + timedelta(minutes=29))
    assert mark_missed_appointments(runtime) == 0
    clock.set(START + timedelta(minutes=30))
    assert mark_missed_appointments(runtime) == 1
    assert outbox(runtime, "scheduling.appointment-missed")[0].data["grace_minutes"] == 30


def test_a_sweep_with_nothing_to_do_writes_and_says_nothing(runtime, world, clock, caplog):
    with caplog.at_level(logging.INFO, logger="carebridge_scheduling"):
        assert mark_missed_appointments(runtime) == 0
    assert outbox(runtime) == [] and caplog.records == []


def test_sweeps_one_after_another_announce_each_no_show_once(runtime, world, book, clock):
    for hour in range(9, 16):
        book(START.replace(hour=hour), patient_id=str(register_patient(runtime)))
    clock.set(START.replace(hour=20))
    assert [mark_missed_appointments(runtime) for _ in range(3)] == [7, 0, 0]
    assert len(outbox(runtime, "scheduling.appointment-missed")) == 7


@pytest.mark.skipif("config.getoption('--db') != 'postgresql'", reason="row locks between workers: PostgreSQL")
class TestTwoWorkersAtOnce:
    def test_a_worker_skips_the_visits_another_has_claimed(self, runtime, world, book, clock,
                                                          in_another_worker):
        for hour in range(9, 14):
            book(START.replace(hour=hour), patient_id=str(register_patient(runtime)))
        clock.set(START.replace(hour=20))
        first = runtime.db.sessions()
        with first.begin():
            assert mark_missed(first, clock.now()) == 5
            # The first worker has not committed: the second finds nothing to
            # claim (and does not wait for the first).
            assert in_another_worker(mark_missed_appointments, runtime) == 0
        first.close()
        assert in_another_worker(mark_missed_appointments, runtime) == 0
        assert len(outbox(runtime, "scheduling.appointment-missed")) == 5

    def test_many_workers_racing_announce_each_no_show_exactly_once(self, runtime, world, book, clock):
        for day in range(4):
            for hour in range(9, 16):
                book(START.replace(hour=hour) + timedelta(days=day), patient_id=str(register_patient(runtime)))
        clock.set(START + timedelta(days=5))
        with ThreadPoolExecutor(4) as pool:
            claimed = list(pool.map(lambda _: mark_missed_appointments(runtime), range(8)))
        assert sum(claimed) == 28
        missed = outbox(runtime, "scheduling.appointment-missed")
        assert len(missed) == len({e.data["appointment_id"] for e in missed}) == 28
