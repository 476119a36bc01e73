"""4. Slot search over 200 practitioners with 90 days of weekday schedules,
half of every schedule booked (~90,000 appointments): GET /slots under the
production gunicorn configuration, from wrk.

What a realistic search is: a staff app (or the patient portal) looking for
a follow-up visit for a patient, soonest first, one page of 25 at a time
with the count of all matches, the way the app pages through:

- `own-practitioner-2-weeks`: the patient's own clinician, the next 14 days
  (the common case: patients see their own doctor) - the target;
- `any-practitioner-day`: every practitioner, one chosen day (the day view
  when the patient is flexible about who) - the target too;
- `any-practitioner-week` (for information): every practitioner over a whole
  week, ~7,000 matches counted for one page.

Each is asked for different practitioners and days in turn (wrk Lua): first
by one client at a time (the latency a user sees on a service that is not
saturated; the target applies here), then by 4 at once (throughput, and
the latency with requests queueing on the 2 gunicorn workers). Targets: p95
under 25 ms for the patient's own clinician, under 15 ms for every
practitioner on one day (issue 26).
"""
from __future__ import annotations

import random
import time
from datetime import timedelta

from common import CpuMeter, lua_cycling_gets, process_tree, report, wrk
from harness import BenchStack, load_average, token
import scheduling_data

CONNECTIONS = (1, 4)
SECONDS = 6
TARGET_P95_MS = {"own-practitioner-2-weeks": 25, "any-practitioner-day": 15}  # issue 26: 15 ms for the day view


def query_strings(world: scheduling_data.World, shape: str, rng: random.Random, count: int = 60) -> list[str]:
    days = world.working_days(25)[2:]
    out = []
    for _ in range(count):
        day = rng.choice(days)
        common = f"appointment_type_code=follow-up&time_zone={scheduling_data.ZONE}&page_size=25"
        if shape == "own-practitioner-2-weeks":
            out.append(f"/slots?{common}&start_date={day}&end_date={day + timedelta(days=13)}"
                       f"&practitioner_id={rng.choice(world.practitioners)}")
        elif shape == "any-practitioner-day":
            out.append(f"/slots?{common}&start_date={day}&end_date={day}")
        else:
            out.append(f"/slots?{common}&start_date={day}&end_date={day + timedelta(days=6)}")
    return out


def main() -> None:
    started = time.monotonic()
    with BenchStack("slot_search", ["scheduling"]) as stack:
        seeding = time.monotonic()
        world = scheduling_data.build(stack)
        seeded_in = time.monotonic() - seeding
        headers = {"Authorization": f"Bearer {token('coordinator')}"}
        rng = random.Random(11)
        api = stack.api("scheduling", "coordinator")
        results, load_before = {}, load_average()
        for shape in ("own-practitioner-2-weeks", "any-practitioner-day", "any-practitioner-week"):
            paths = query_strings(world, shape, rng)
            sample = api.get(paths[0])
            wrk(stack.url("scheduling"), seconds=2, connections=4, headers=headers, lua=lua_cycling_gets(paths))
            runs, cpu = {}, {}
            for n in CONNECTIONS:
                name = f"{n}_connection{'s' if n > 1 else ''}"
                # The API's CPU (gunicorn master and workers, from /proc) per
                # request answered: what the code costs, whatever else the
                # machine is doing (the latencies are not).
                meter = CpuMeter({"api": process_tree(stack.api_pid("scheduling"))})
                runs[name] = wrk(stack.url("scheduling"), seconds=SECONDS, connections=n, threads=1, headers=headers,
                                 lua=lua_cycling_gets(paths))
                cpu[name] = round(1000 * meter.used()["api"] / max(runs[name]["requests"], 1), 2)
            results[shape] = {name: {"requests_per_second": run["requests_per_second"],
                                     "latency_ms": run["latency_ms"], "non_2xx": run["non_2xx"],
                                     "api_cpu_ms_per_request": cpu[name]}
                              for name, run in runs.items()}
            results[shape].update({"example": paths[0], "example_total_matches": sample["total"],
                                   "example_items": len(sample["items"])})
        load_after = load_average()
    figures = {
        "what": "GET /slots for a follow-up, page of 25 with the total count; 200 practitioners, 90 days of "
                "weekday schedules, half booked",
        "practitioners": len(world.practitioners), "existing_appointments": world.appointments,
        "seeded_in_seconds": round(seeded_in, 1), "connections": CONNECTIONS, "seconds_per_shape": SECONDS,
        "shapes": results,
        "load_average": {"before": load_before, "after": load_after},
        "targets": {f"{shape}_p95_under_{limit}ms": results[shape]["1_connection"]["latency_ms"]["p95"] < limit and
                    results[shape]["1_connection"]["non_2xx"] == 0 for shape, limit in TARGET_P95_MS.items()},
    }
    report("slot_search", figures, started)


if __name__ == "__main__":
    main()
