"""Reminders: once per appointment, offset and start; none that are stale."""
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from carebridge.testing import outbox
from carebridge_scheduling.jobs.reminders import APPOINTMENT_REMINDERS
from carebridge_scheduling.service_layer.sweeps import send_reminders
from support import add_location, add_schedule, register_patient

send_due_reminders = APPOINTMENT_REMINDERS.run

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2026, 3, 5, 10, tzinfo=NEW_YORK)  # Thursday, 15:00Z; booked on Monday


def reminders(runtime):
    return [(e.data["appointment_id"], e.data["offset_minutes"], e.data["start"])
            for e in outbox(runtime, "scheduling.appointment-reminder-due")]


def test_the_24_hour_and_2_hour_reminders_go_out_once_each_at_their_time(runtime, book, clock):
    appointment = book(START)
    for moment, sent in ((START - timedelta(hours=24, seconds=1), 0), (START - timedelta(hours=24), 1),
                         (START - timedelta(hours=24), 0), (START - timedelta(hours=2, seconds=1), 0),
                         (START - timedelta(hours=2), 1), (START - timedelta(minutes=1), 0), (START, 0)):
        clock.set(moment)
        assert send_due_reminders(runtime) == sent, moment
    assert reminders(runtime) == [(appointment["id"], 1440, "2026-03-05T15:00:00+00:00"),
                                  (appointment["id"], 120, "2026-03-05T15:00:00+00:00")]
    event = outbox(runtime, "scheduling.appointment-reminder-due")[0]
    assert event.data["telehealth"] is False and event.data["service_code"] == "99214"


def test_cancelled_visits_get_no_reminder(runtime, book, clock, client, coordinator):
    appointment = book(START)
    client.put(f"/appointments/{appointment['id']}/status", headers={**coordinator, "If-Match": '"1"'},
               json={"status": "cancelled", "reason_code": "patient-request"})
    for hours in (24, 2):
        clock.set(START - timedelta(hours=hours))
        assert send_due_reminders(runtime) == 0


def test_a_moved_visit_is_reminded_of_its_new_time_never_the_old(runtime, book, clock, client, coordinator):
    appointment = book(START)
    clock.set(START - timedelta(hours=24))
    send_due_reminders(runtime)
    new_start = START + timedelta(days=1)
    client.patch(f"/appointments/{appointment['id']}", json={"start": new_start.isoformat()},
                 headers={**coordinator, "If-Match": '"1"'})
    clock.set(START - timedelta(hours=2))  # the old 2-hour moment: nothing
    assert send_due_reminders(runtime) == 0
    clock.set(new_start - timedelta(hours=24))
    assert send_due_reminders(runtime) == 1
    assert [(offset, start) for _, offset, start in reminders(runtime)] == [
        (1440, "2026-03-05T15:00:00+00:00"), (1440, "2026-03-06T15:00:00+00:00")]


def test_a_visit_booked_late_skips_reminders_whose_moment_had_passed(runtime, book, clock):
    clock.set(START - timedelta(hours=3))
    book(START)
    assert send_due_reminders(runtime) == 0
    clock.set(START - timedelta(hours=2))
    assert send_due_reminders(runtime) == 1
    assert [offset for _, offset, _ in reminders(runtime)] == [120]


def test_after_an_outage_only_the_latest_due_reminder_goes_out(runtime, book, clock):
    book(START)
    clock.set(START - timedelta(hours=1))
    assert send_due_reminders(runtime) == 1
    assert [offset for _, offset, _ in reminders(runtime)] == [120]


def test_telehealth_reminders_say_so(runtime, book, clock):
    saturday = datetime(2026, 3, 7, 9, tzinfo=NEW_YORK)
    book(saturday, appointment_type_code="telehealth-check-in")
    clock.set(saturday - timedelta(hours=2))
    send_due_reminders(runtime)
    assert outbox(runtime, "scheduling.appointment-reminder-due")[0].data["telehealth"] is True


def test_a_sweep_with_nothing_due_writes_and_says_nothing(runtime, book, caplog):
    book(START)
    with caplog.at_level(logging.INFO, logger="carebridge_scheduling"):
        assert send_due_reminders(runtime) == 0
    assert reminders(runtime) == [] and caplog.records == []


@pytest.mark.skipif("config.getoption('--db') != 'postgresql'", reason="row locks between workers: PostgreSQL")
class TestTwoWorkersAtOnce:
    def test_a_worker_skips_what_another_is_sending(self, runtime, world, book, clock, in_another_worker):
        for hour in (9, 10, 11):
            book(START.replace(hour=hour), patient_id=str(register_patient(runtime)))
        clock.set(START.replace(hour=9) - timedelta(hours=2))
        first = runtime.db.sessions()
        with first.begin():
            assert send_reminders(first, clock.now()) == 3
            assert in_another_worker(send_due_reminders, runtime) == 0
        first.close()
        assert in_another_worker(send_due_reminders, runtime) == 0
        assert len(reminders(runtime)) == 3

    def test_many_workers_racing_send_each_reminder_exactly_once(self, runtime, world, book, clock):
        for day in range(2):  # Thursday and Friday
            for hour in range(9, 16):
                book(START.replace(hour=hour) + timedelta(days=day), patient_id=str(register_patient(runtime)))
        # Thursday 08:00: the 09:00 and 10:00 visits are in their 2-hour window,
        # the rest of Thursday in the 24-hour one, Friday's not yet.
        clock.set(START.replace(hour=8))
        with ThreadPoolExecutor(4) as pool:
            sent = sum(pool.map(lambda _: send_due_reminders(runtime), range(8)))
        assert sent == len(reminders(runtime)) == len(set(reminders(runtime))) == 7
        assert sorted(offset for _, offset, _ in reminders(runtime)) == [120] * 2 + [1440] * 5


def test_a_nursing_home_visit_is_reminded_the_day_before_only(runtime, client, auth, world, clock):
    """Issue 25, item 14 (c): the default offsets of the nursing-home setting are 1440 minutes only."""
    assert client.post("/appointment-types", headers=auth("admin"), json={
        "code": "nursing-home-round", "display": "Nursing home round", "service_code": "99309",
        "duration_minutes": 30, "setting": "nursing-home", "billing_category": "primary-care"}).status_code == 201
    home, doctor = add_location(runtime, "nursing-home"), uuid.uuid4()
    add_schedule(runtime, doctor, [{"weekday": 3, "start_time": "09:00", "end_time": "12:00", "location_id": home}])
    visit = client.post("/appointments", headers=auth("coordinator"), json={
        "patient_id": str(world.patient_id), "practitioner_id": str(doctor),
        "appointment_type_code": "nursing-home-round", "start": START.isoformat()})
    assert visit.status_code == 201, visit.get_json()
    for moment, sent in ((START - timedelta(hours=24), 1), (START - timedelta(hours=2), 0),
                         (START - timedelta(minutes=1), 0)):
        clock.set(moment)
        assert send_due_reminders(runtime) == sent, moment
    assert reminders(runtime) == [(visit.get_json()["id"], 1440, "2026-03-05T15:00:00+00:00")]
    assert outbox(runtime, "scheduling.appointment-reminder-due")[0].data["setting"] == "nursing-home"
