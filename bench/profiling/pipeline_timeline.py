"""Where a sustained round of the event pipeline loses time: for each of
ROUNDS rounds of event_pipeline.py's sustained phase (2,000 events written
as fast as the care plans side can), the time by which a quarter, half, ...
of the events were written (outbox row committed), published (the relay's
stamp, after the broker's confirm) and applied (the notifications consumer's
transaction began), from the services' own timestamps, since the round's
first write; and how many events the relay's batches and the consumer's
bursts held on average.

A diagnostic beside event_pipeline.py, not one of run_all.py's programs:

    .venv/bin/python bench/profiling/pipeline_timeline.py        # 3 rounds
    CONSUMER_THREADS=3 PREFETCH_COUNT=64 .venv/bin/python bench/profiling/pipeline_timeline.py 2

The workers read their settings from the environment, so a setting can be
tried without changing code. Compare settings by alternating runs: one
round moves by ±5 % from the next on a 2-core machine.
"""
from __future__ import annotations

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/: event_pipeline, harness
import psycopg  # noqa: E402

import event_pipeline as ep  # noqa: E402
from harness import BenchStack  # noqa: E402

QUANTILES = (0.25, 0.5, 0.75, 0.9, 1.0)


def timeline(stack: BenchStack, since: datetime.datetime) -> None:
    with psycopg.connect(ep.psycopg_url(stack.database_url("careplans")), autocommit=True) as connection:
        rows = connection.execute("SELECT event_id, created_at, published_at FROM outbox_events "
                                  "WHERE created_at >= %s", (since,)).fetchall()
    with psycopg.connect(ep.psycopg_url(stack.database_url("notifications")), autocommit=True) as connection:
        applied = [at for (at,) in connection.execute(
            "SELECT processed_at FROM inbox_events WHERE event_id = ANY(%s)", ([row[0] for row in rows],))]
    first = min(row[1] for row in rows)

    def seconds(times):
        return sorted((at - first).total_seconds() for at in times)

    written, published, applied = seconds(r[1] for r in rows), seconds(r[2] for r in rows), seconds(applied)
    for quantile in QUANTILES:
        print(f"  {quantile:>4.0%} written {at_quantile(written, quantile):6.3f} s   published "
              f"{at_quantile(published, quantile):6.3f} s   applied {at_quantile(applied, quantile):6.3f} s")
    # A relay batch shares one stamp, a consumer burst one processed_at.
    batches, bursts = len(set(published)), len(set(applied))
    print(f"  relay batches {batches} (mean {len(published) / max(batches, 1):.1f} events), "
          f"consumer bursts {bursts} (mean {len(applied) / max(bursts, 1):.1f} events)")


def at_quantile(values: list[float], quantile: float) -> float:
    return values[min(len(values) - 1, int(quantile * len(values)))]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with BenchStack("pipeline_timeline", ["patients", "careplans", "notifications"]) as stack:
        patient, team, staff = ep.set_up_team(stack)
        ep.wait_until_notifications_know_the_team(stack, team, staff)
        people = (patient, team, staff[1])
        ep.sustained(stack, people, 100)  # connections and caches
        for _ in range(rounds):
            ep.analyze(stack)
            since = datetime.datetime.now(datetime.timezone.utc)
            result = ep.sustained(stack, people, ep.EVENTS)
            print(f"{result['events_per_second']} events/s delivered, {result['written_per_second']} written/s, "
                  f"{result['cores_busy']} cores busy; CPU ms per event {result['cpu_ms_per_event']}", flush=True)
            timeline(stack, since)


if __name__ == "__main__":
    main()
