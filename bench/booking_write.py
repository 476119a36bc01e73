"""2. API write: booking appointments (POST /appointments) on PostgreSQL at 32
concurrent connections, under the production gunicorn configuration, into
the calendar of scheduling_data (200 practitioners, 90 days, half booked).

Every request books a different free half-hour slot (wrk Lua hands each
thread its own bodies), as a coordinator, for a patient scheduling knows;
each booking runs the real checks (schedule, practitioner and patient busy),
writes the appointment, its audit record and `scheduling.appointment-booked`
to the outbox (relayed by the scheduling worker meanwhile). Afterwards the
database is checked: as many new appointments as 201 answers, no overlap.
"""
from __future__ import annotations

import json
import time

from sqlalchemy import text

from common import report, wrk
from harness import BenchStack, load_average, token
import scheduling_data

CONNECTIONS = 32
WARM_UP_SECONDS = 3
SECONDS = 10


def bodies(world: scheduling_data.World, days) -> list[str]:
    out = []
    for day in days:
        for start in world.free_starts(day):
            for index, practitioner in enumerate(world.practitioners):
                # Patient i only ever books with practitioner i: a patient is
                # never asked to be in two places at once.
                out.append(json.dumps({"patient_id": world.free_patients[index % len(world.free_patients)],
                                       "practitioner_id": practitioner, "appointment_type_code": "follow-up",
                                       "start": start.isoformat()}))
    return out


def lua_bookings(payloads: list[str], threads: int) -> str:
    quoted = ",".join("[[" + body + "]]" for body in payloads)
    return (f"local bodies = {{{quoted}}}\n"
            "local counter = 0\n"
            "function setup(thread) thread:set('tid', counter); counter = counter + 1 end\n"
            "local n = 0\n"
            "local headers = nil\n"
            "request = function()\n"
            "  if headers == nil then\n"
            "    headers = {}\n"
            "    for name, value in pairs(wrk.headers) do headers[name] = value end\n"
            "    headers['Content-Type'] = 'application/json'\n"
            "  end\n"
            f"  local i = tid + n * {threads} + 1\n"
            "  n = n + 1\n"
            "  if i > #bodies then i = ((i - 1) % #bodies) + 1 end\n"
            "  return wrk.format('POST', '/appointments', headers, bodies[i])\n"
            "end\n")


def main() -> None:
    started = time.monotonic()
    with BenchStack("booking_write", ["scheduling"]) as stack:
        world = scheduling_data.build(stack)
        days = world.working_days(40)
        headers = {"Authorization": f"Bearer {token('coordinator')}"}
        warm, measured = bodies(world, days[:5]), bodies(world, days[5:25])
        engine = stack.runtime("scheduling").db.engine
        wrk(stack.url("scheduling"), seconds=WARM_UP_SECONDS, connections=CONNECTIONS, headers=headers,
            lua=lua_bookings(warm, 2))
        with engine.connect() as connection:
            before = connection.scalar(text("SELECT count(*) FROM appointments"))
        load_before = load_average()
        run = wrk(stack.url("scheduling"), seconds=SECONDS, connections=CONNECTIONS, headers=headers,
                  lua=lua_bookings(measured, 2))
        load_after = load_average()
        time.sleep(1)  # requests wrk gave up on at the end may still commit
        with engine.connect() as connection:
            created = connection.scalar(text("SELECT count(*) FROM appointments")) - before
            overlaps = connection.scalar(text(
                "SELECT count(*) FROM appointments a JOIN appointments b ON a.practitioner_id = b.practitioner_id "
                "AND a.id < b.id AND a.start_at < b.blocked_until AND b.start_at < a.blocked_until "
                "WHERE a.booked_by IS DISTINCT FROM 'bench' "
                "AND a.status IN ('proposed','pending','booked','arrived','checked-in','fulfilled') "
                "AND b.status IN ('proposed','pending','booked','arrived','checked-in','fulfilled')"))
        booked = run["requests"] - run["non_2xx"]
    figures = {
        "what": "POST /appointments (a free follow-up slot each, as a coordinator) on PostgreSQL, production "
                "gunicorn config, wrk at 32 connections",
        "connections": CONNECTIONS, "seconds": SECONDS,
        "requests_per_second": run["requests_per_second"], "latency_ms": run["latency_ms"],
        "requests": run["requests"], "non_2xx": run["non_2xx"], "socket_errors": run["socket_errors"],
        "checks": {"appointments_created": created, "answered_201": booked,
                   "every_answered_booking_stored": created >= booked, "overlapping_appointments": overlaps},
        "calendar": {"practitioners": len(world.practitioners), "existing_appointments": world.appointments},
        "load_average": {"before": load_before, "after": load_after},
    }
    report("booking_write", figures, started)


if __name__ == "__main__":
    main()
