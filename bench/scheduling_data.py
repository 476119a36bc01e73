"""The scheduling world the scheduling benchmarks share: 200 practitioners
with weekday schedules for the next 90 days, half of every schedule already
booked, and patients the service knows.

- Schedules go through the scheduling API (POST /schedules).
- Patients reach scheduling's projection through its own consumer path
  (`patients.patient-registered` envelopes applied by the service's consumer
  code, as the worker would apply them from the bus).
- The existing appointments (~90,000) are written in bulk into the service's
  `appointments` table with its own model columns (booking them one by one
  through the API would take longer than every benchmark together); the
  database's exclusion constraint checks every one of them as it would a
  booking.

Each practitioner works Monday to Friday 09:00-12:00 and 13:00-17:00
(America/New_York) at the Main Street clinic, offering starts every 15
minutes. The existing visits are the 30-minute follow-ups starting on the
hour; the half hours (09:30, 10:30, ... 16:30) are left free. Visits start
from the third day on, so that no reminder falls due during a run.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from carebridge import clock
from carebridge.events import Event
from carebridge.testing import deliver

from harness import BenchStack

PRACTITIONERS = 200
DAYS = 90
ZONE = "America/New_York"
HOURS = [(time(9), time(12)), (time(13), time(17))]
VISIT = "follow-up"
VISIT_MINUTES = 30
FIRST_DAY_OFFSET = 2


@dataclass
class World:
    location_id: str
    practitioners: list[str]
    seeded_patients: list[str]
    free_patients: list[str]          # known to scheduling, with no appointment yet
    first_day: date
    appointments: int

    def working_days(self, count: int | None = None) -> list[date]:
        days, day = [], self.first_day
        while day < self.first_day + timedelta(days=DAYS) and (count is None or len(days) < count):
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
        return days

    def free_starts(self, day: date) -> list[datetime]:
        """The free half-hour starts of one day (the same for every practitioner), UTC."""
        zone = ZoneInfo(ZONE)
        starts = []
        for begin, end in HOURS:
            hour = begin.hour
            while hour < end.hour:
                starts.append(datetime.combine(day, time(hour, 30), tzinfo=zone).astimezone(timezone.utc))
                hour += 1
        return starts


def register_patients(stack: BenchStack, count: int) -> list[str]:
    runtime = stack.runtime("scheduling")
    ids = []
    for _ in range(count):
        patient_id = uuid.uuid4()
        event = Event(id=uuid.uuid4(), type="patients.patient-registered", version=1, occurred_at=clock.now(),
                      producer="patients", correlation_id=str(uuid.uuid4()), causation_id=None,
                      data={"patient_id": str(patient_id), "revision": 1, "status": "active", "time_zone": ZONE,
                            "contact_points": [], "communication": {}})
        assert deliver(runtime, event) == "applied"
        ids.append(str(patient_id))
    return ids


def build(stack: BenchStack, *, practitioners: int = PRACTITIONERS, days: int = DAYS, free_patients: int = 200,
          seeded_patients: int = 200, seed: int = 7) -> World:
    rng = random.Random(seed)
    admin = stack.api("scheduling", "admin")
    locations = admin.get("/locations", params={"page_size": 100})["items"]
    location = next(loc for loc in locations if loc["setting"] == "outpatient-clinic")["id"]
    ids = [str(uuid.uuid4()) for _ in range(practitioners)]
    rules = [{"weekday": weekday, "start_time": begin.strftime("%H:%M"), "end_time": end.strftime("%H:%M"),
              "location_id": location}
             for weekday in ("monday", "tuesday", "wednesday", "thursday", "friday") for begin, end in HOURS]
    for practitioner in ids:
        admin.post("/schedules", json={"practitioner_id": practitioner, "time_zone": ZONE, "buffer_minutes": 0,
                                       "slot_interval_minutes": 15, "rules": rules})
    seeded = register_patients(stack, seeded_patients)
    free = register_patients(stack, free_patients)
    first_day = (clock.now().astimezone(ZoneInfo(ZONE)) + timedelta(days=FIRST_DAY_OFFSET)).date()
    world = World(location, ids, seeded, free, first_day, 0)
    world.appointments = _book_on_the_hour(stack, world, days, rng)
    return world


def _book_on_the_hour(stack: BenchStack, world: World, days: int, rng: random.Random) -> int:
    """COPY the existing visits into scheduling's appointments table."""
    zone = ZoneInfo(ZONE)
    now = clock.now()
    columns = ("id", "patient_id", "practitioner_id", "location_id", "appointment_type_code", "service_code",
               "setting", "start_at", "end_at", "blocked_until", "status", "start_set_at", "booked_by", "version",
               "created_at", "updated_at")
    count = 0
    engine = stack.runtime("scheduling").db.engine
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY appointments ({', '.join(columns)}) FROM STDIN") as copy:
            for day in world.working_days():
                if day >= world.first_day + timedelta(days=days):
                    break
                for begin, end in HOURS:
                    for hour in range(begin.hour, end.hour):
                        start = datetime.combine(day, time(hour), tzinfo=zone).astimezone(timezone.utc)
                        finish = start + timedelta(minutes=VISIT_MINUTES)
                        # One patient in one place at a time (the database refuses overlaps):
                        # each hour, every practitioner sees a different patient.
                        patients = rng.sample(world.seeded_patients, len(world.practitioners))
                        for practitioner, patient in zip(world.practitioners, patients):
                            copy.write_row((uuid.uuid4(), uuid.UUID(patient),
                                            uuid.UUID(practitioner), uuid.UUID(world.location_id), VISIT, "99214",
                                            "outpatient-clinic", start, finish, finish, "booked", now, "bench", 1,
                                            now, now))
                            count += 1
        connection.exec_driver_sql("ANALYZE appointments")
    return count
