"""6. Scaling: the scheduling API with 1, 2 and 4 gunicorn workers
(GUNICORN_WORKERS; 4 threads each, the rest of the production
configuration unchanged), requests/s for two workloads at 16 connections:
slot search (one practitioner, two weeks, page of 25) and booking (a free
slot each). Calendar: 100 practitioners, 40 days, half booked.

Each worker count is run twice, in the order 1, 2, 4, 4, 2, 1 (so that a
drift in the machine's load favours none), and its better run is reported:
a neighbour's burst can only take throughput away.

On a 2-core machine with PostgreSQL and wrk on the same cores, more than two
workers cannot add CPU; the point is to show how throughput follows the
workers and where it stops.
"""
from __future__ import annotations

import os
import random
import time

from common import lua_cycling_gets, report, wrk
from harness import BenchStack, load_average, token
import booking_write
import scheduling_data
import slot_search

WORKERS = (1, 2, 4)
ORDER = (1, 2, 4, 4, 2, 1)
CONNECTIONS = 16
SECONDS = 4


def main() -> None:
    started = time.monotonic()
    with BenchStack("scheduling_scaling", ["scheduling"]) as stack:
        world = scheduling_data.build(stack, practitioners=100, days=40)
        headers = {"Authorization": f"Bearer {token('coordinator')}"}
        search = lua_cycling_gets(slot_search.query_strings(world, "own-practitioner-2-weeks",
                                                                 random.Random(5), 100))
        days = world.working_days(26)
        chunks = [days[i:i + 2] for i in range(2, 26, 2)]
        runs: dict[int, list[dict]] = {workers: [] for workers in WORKERS}
        load_before = load_average()
        for n, workers in enumerate(ORDER):
            stack.restart_api("scheduling", workers)
            url = stack.url("scheduling")
            wrk(url, seconds=2, connections=CONNECTIONS, headers=headers, lua=search)
            reads = wrk(url, seconds=SECONDS, connections=CONNECTIONS, headers=headers, lua=search)
            wrk(url, seconds=1, connections=CONNECTIONS, headers=headers,
                lua=booking_write.lua_bookings(booking_write.bodies(world, chunks[2 * n]), 2))
            writes = wrk(url, seconds=SECONDS, connections=CONNECTIONS, headers=headers,
                         lua=booking_write.lua_bookings(booking_write.bodies(world, chunks[2 * n + 1]), 2))
            runs[workers].append({"slot_search": reads, "booking": writes})
        results = {}
        for workers in WORKERS:
            results[f"{workers}_workers"] = {}
            for workload in ("slot_search", "booking"):
                best = max(runs[workers], key=lambda run: run[workload]["requests_per_second"])[workload]
                results[f"{workers}_workers"][workload] = {
                    "requests_per_second": best["requests_per_second"], "latency_ms": best["latency_ms"],
                    "non_2xx": sum(run[workload]["non_2xx"] for run in runs[workers]),
                    "both_runs_requests_per_second": [run[workload]["requests_per_second"] for run in runs[workers]]}
        load_after = load_average()
    figures = {
        "what": "scheduling API under gunicorn with 1, 2 and 4 workers (4 threads each): slot search and booking "
                "at 16 connections",
        "connections": CONNECTIONS, "seconds_per_run": SECONDS, "cores": os.cpu_count(),
        "results": results,
        "load_average": {"before": load_before, "after": load_after},
    }
    report("scheduling_scaling", figures, started)


if __name__ == "__main__":
    main()
