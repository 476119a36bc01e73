"""11. The event pipeline against a peer written without CareBridge, side by
side in the same run: `careplans.plan-updated` fanned out to a care team of
five as in-app inbox rows on PostgreSQL, one transaction per event,
acknowledged after its commit.

- CareBridge: exactly event_pipeline.py's pipeline (the care plans side
  writes through its outbox, the relay publishes with confirms, the
  notifications consumer applies with its inbox and acks after commit).
- The peer (`peers/celery_fanout.py`): the producer commits its row and then
  calls a Celery task (`acks_late=True`) on the same RabbitMQ (a durable
  quorum queue of this run) whose worker (prefork, one process per core,
  Celery's defaults otherwise) inserts the five rows on a PostgreSQL
  database of this run.

Both are driven by the same writer processes (2 processes x 4 threads, as
the care plans API's gunicorn shape) and measured the same way: sustained
events/s (first written -> last event's fifth inbox row visible), CPU ms per
event of each process, then written -> fifth row p99 at a steady 200/s. The
rounds alternate (CareBridge, peer, CareBridge, ...) and the figure is the
median of each CareBridge round over the mean of the peer rounds around it.

What CareBridge guarantees that the peer does not is in bench/README.md.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from kombu import Connection, Exchange, Queue
from sqlalchemy.engine import make_url

import event_pipeline as pipeline
from common import AMQP_URL, DATABASE_URL, CpuMeter, pids_named, process_tree, report
from harness import BenchStack, load_average

PEERS = Path(__file__).resolve().parent / "peers"
ROUNDS = 3
EVENTS = pipeline.EVENTS
TEAM_SIZE = pipeline.TEAM_SIZE


class PeerUpdates:
    """The peer's producer: its own row committed, then the Celery task sent."""

    def __init__(self, fanout, patient: str, team: str, author: str):
        self.fanout = fanout
        self.patient, self.team, self.author = patient, team, author
        self.plan = str(uuid.uuid4())
        self.version = 0

    def write(self) -> tuple[str, float]:
        self.version += 1
        event_id = str(uuid.uuid4())
        data = {"plan_id": self.plan, "patient_id": self.patient, "care_team_id": self.team,
                "version": self.version, "status": "active", "changed_sections": ["goals"],
                "patient_facing": False, "author_id": self.author}
        event = {"id": event_id, "type": "careplans.plan-updated", "version": 1, "producer": "careplans",
                 "occurred_at": datetime.now(timezone.utc).isoformat(), "data": data}
        self.fanout.write_plan_update(event, json.dumps(data))
        return event_id, time.monotonic()


def peer_writer_process(database_url: str, queue: str, people: tuple, plan: dict, start, results) -> None:
    os.environ.update(PEER_DATABASE_URL=database_url, PEER_QUEUE=queue, PEER_BROKER_URL=AMQP_URL)
    sys.path.insert(0, str(PEERS))
    try:
        import celery_fanout
        pipeline.write_loop(lambda: PeerUpdates(celery_fanout, *people), plan, start, results)
    finally:
        results.put(None)


def _delete_celery_delayed_delivery(connection) -> None:
    """Celery (5.5 and later) sets up its native delayed delivery for a
    quorum queue: 28 queues and 29 exchanges (`celery_delayed_*`) under fixed
    names, outside the run's namespace, which stay on the broker after the
    worker stops. The peer schedules nothing, so they are empty; they are
    removed so that the shared broker keeps nothing of the run (a queue that
    holds a message, someone else's, is left alone)."""
    from kombu.transport import native_delayed_delivery as delayed
    for level in range(delayed.MAX_LEVEL, -1, -1):
        name = delayed.level_name(level)
        channel = connection.channel()
        try:
            _name, messages, _consumers = channel.queue_declare(name, passive=True)
            if messages == 0:
                # Quorum queues refuse `if_empty`, hence the count first.
                channel.queue_delete(name)
                channel.exchange_delete(name)
        except Exception:  # not there (the passive declare closes the channel)
            pass
        finally:
            try:
                channel.close()
            except Exception:
                pass
    channel = connection.channel()
    try:
        channel.exchange_delete(delayed.CELERY_DELAYED_DELIVERY_EXCHANGE)
    finally:
        channel.close()


class Peer:
    """The peer's database, queue and Celery worker for one run."""

    def __init__(self, run_id: str, team: str, staff: list[str]):
        self.database = f"{run_id}_celery".lower()
        self.queue = f"{run_id}.celery"
        self.url = make_url(DATABASE_URL).set(drivername="postgresql+psycopg", database=self.database)
        self.sqlalchemy_url = self.url.render_as_string(hide_password=False)
        self.psycopg_url = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.team, self.staff = team, staff
        self.worker: subprocess.Popen | None = None
        self.env = {**os.environ, "PEER_DATABASE_URL": self.sqlalchemy_url, "PEER_QUEUE": self.queue,
                    "PEER_BROKER_URL": AMQP_URL, "PYTHONPATH": str(PEERS)}

    def __enter__(self) -> "Peer":
        with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
        try:
            subprocess.run([sys.executable, "-c", "import celery_fanout as f; f.metadata.create_all(f.engine)"],
                           env=self.env, check=True)
            with psycopg.connect(self.psycopg_url, autocommit=True) as connection:
                with connection.cursor() as cursor:
                    cursor.executemany("INSERT INTO team_members VALUES (%s, %s)",
                                       [(self.team, member) for member in self.staff])
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "celery_fanout", "worker", "--pool=prefork",
                 f"--concurrency={os.cpu_count() or 2}", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "-Q", self.queue, "--loglevel=WARNING"],
                cwd=PEERS, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
            self.wait_for_consumer()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def wait_for_consumer(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        with Connection(AMQP_URL) as connection:
            while True:
                try:
                    _name, _messages, consumers = connection.default_channel.queue_declare(self.queue, passive=True)
                    if consumers:
                        return
                except Exception:
                    connection.close()
                    connection.connect()
                if self.worker.poll() is not None:
                    raise RuntimeError(f"the Celery worker exited with {self.worker.returncode}")
                if time.monotonic() > deadline:
                    raise TimeoutError("the Celery worker is not consuming")
                time.sleep(0.2)

    def close(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, 15)
            try:
                self.worker.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.worker.pid, 9)
                self.worker.wait(5)
        try:
            with Connection(AMQP_URL) as connection:
                channel = connection.default_channel
                Queue(self.queue, Exchange(self.queue, type="direct"), channel=channel).delete()
                Exchange(self.queue, type="direct", channel=channel).delete()
            with Connection(AMQP_URL) as connection:
                _delete_celery_delayed_delivery(connection)
        except Exception as error:
            print(f"warning: could not delete the peer's queue {self.queue}: {error}", file=sys.stderr)
        with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def count_inbox(self) -> int:
        with psycopg.connect(self.psycopg_url, autocommit=True) as connection:
            return connection.execute("SELECT count(*) FROM inbox").fetchone()[0]

    def analyze(self) -> None:
        with psycopg.connect(self.psycopg_url, autocommit=True) as connection:
            connection.execute("ANALYZE")


def peer_sustained(peer: Peer, people: tuple, events: int) -> dict:
    """As pipeline.sustained, for the peer."""
    before = peer.count_inbox()
    shares = [events // pipeline.WRITERS + (1 if k < events % pipeline.WRITERS else 0)
              for k in range(pipeline.WRITERS)]
    written: list[tuple[float, str]] = []
    writer_cpu = 0.0
    plans = [{"count": share, "threads": pipeline.WRITER_THREADS} for share in shares]
    with pipeline.Writers(None, people, plans, target=peer_writer_process,
                          where=(peer.sqlalchemy_url, peer.queue)) as writers:
        meter = CpuMeter({"celery worker (main + prefork children)": process_tree(peer.worker.pid),
                          "postgresql": pids_named("postgres"), "rabbitmq": pids_named("beam.smp"),
                          "benchmark observer": [os.getpid()]})
        started = writers.go()
        for kind, value in writers.reports():
            if kind == "cpu":
                writer_cpu += value
            elif kind == "written":
                written.extend((written_at, event_id) for event_id, written_at in value)
    last_written = max(at for at, _ in written)
    last_ids = [uuid.UUID(event_id) for _, event_id in sorted(written)[-pipeline.WRITERS * 5:]]
    target = before + events * TEAM_SIZE
    deadline = last_written + 300
    with psycopg.connect(peer.psycopg_url, autocommit=True) as connection:
        while True:
            if last_ids:
                rows = connection.execute("SELECT count(*) FROM inbox WHERE event_id = ANY(%s)",
                                          (last_ids,)).fetchone()[0]
                if rows >= len(last_ids) * TEAM_SIZE:
                    finished = time.monotonic()
                    if peer.count_inbox() >= target:
                        break
                    last_ids = []
            elif peer.count_inbox() >= target:
                finished = time.monotonic()
                break
            if time.monotonic() > deadline:
                raise TimeoutError("the peer did not deliver every event within 300 s")
            time.sleep(pipeline.POLL_SECONDS if last_ids else 0.05)
    cpu = {"writer processes (producer side)": round(writer_cpu, 2), **meter.used()}
    seconds = finished - started
    return {"events": events, "inbox_rows": events * TEAM_SIZE, "seconds": round(seconds, 2),
            "written_per_second": round(events / (last_written - started), 1),
            "events_per_second": round(events / seconds, 1),
            "cpu_seconds": cpu, "cpu_ms_per_event": {name: round(value * 1000 / events, 3)
                                                     for name, value in cpu.items()},
            "cores_busy": round(sum(cpu.values()) / seconds, 2)}


class PeerInboxWatcher(pipeline.InboxWatcher):
    QUERY = "SELECT event_id FROM inbox WHERE event_id = ANY(%s) GROUP BY event_id HAVING count(*) >= %s"


def peer_steady(peer: Peer, people: tuple) -> dict:
    total = pipeline.STEADY_RATE * pipeline.STEADY_SECONDS
    plans = [{"rate": pipeline.STEADY_RATE, "index": k, "of": pipeline.STEADY_WRITERS, "total": total}
             for k in range(pipeline.STEADY_WRITERS)]
    behind = 0
    with PeerInboxWatcher(peer.psycopg_url) as watcher, pipeline.Writers(
            None, people, plans, target=peer_writer_process, where=(peer.sqlalchemy_url, peer.queue)) as writers:
        started = writers.go()
        last = started
        for event_id, value in writers.reports():
            if event_id == "behind":
                behind += value
            elif event_id != "cpu":
                watcher.expect(uuid.UUID(event_id), value)
                last = max(last, value)
        deadline = time.monotonic() + 60
        while watcher.pending and time.monotonic() < deadline:
            time.sleep(0.05)
        ms = sorted(round(x * 1000, 1) for x in watcher.latencies.values())
        missing = len(watcher.pending)
    pct = pipeline.percentile_of(ms)
    return {"target_rate": pipeline.STEADY_RATE, "events": total,
            "offered_per_second": round(total / (last - started), 1), "writes_behind_schedule": behind,
            "delivered": len(ms), "missing": missing,
            "latency_ms": {"p50": pct(50), "p95": pct(95), "p99": pct(99), "max": ms[-1] if ms else None}}


def main() -> None:
    started = time.monotonic()
    with BenchStack("event_peer", ["patients", "careplans", "notifications"]) as stack:
        patient, team, staff = pipeline.set_up_team(stack)
        pipeline.wait_until_notifications_know_the_team(stack, team, staff)
        people = (patient, team, staff[1])
        with Peer(stack.id, team, staff) as peer:
            # Warm-up of both: connections, caches, the worker's pool.
            pipeline.sustained(stack, people, 100)
            peer_sustained(peer, people, 100)
            load_before = load_average()
            carebridge, peers = [], [peer_sustained(peer, people, EVENTS)]
            for _ in range(ROUNDS):
                pipeline.analyze(stack)
                carebridge.append(pipeline.sustained(stack, people, EVENTS))
                peer.analyze()
                peers.append(peer_sustained(peer, people, EVENTS))
            load_middle = load_average()
            pipeline.analyze(stack)
            peer.analyze()
            carebridge_latency = pipeline.steady(stack, people)
            peer_latency = peer_steady(peer, people)
            load_after = load_average()
            peer_rows = peer.count_inbox()
    ratios = [ours["events_per_second"] / statistics.mean([before["events_per_second"], after["events_per_second"]])
              for ours, before, after in zip(carebridge, peers, peers[1:])]
    ratio = statistics.median(ratios)
    middle = ratios.index(ratio) if ratio in ratios else 0
    ours_p99, peer_p99 = carebridge_latency["latency_ms"]["p99"], peer_latency["latency_ms"]["p99"]
    figures = {
        "what": "careplans.plan-updated -> 5 in-app inbox rows on PostgreSQL, one transaction per event, acked after "
                "commit: CareBridge (outbox, confirmed relay, consumer with inbox) vs Celery (acks_late task)",
        "team_size": TEAM_SIZE, "events_per_round": EVENTS,
        "carebridge_sustained": carebridge[middle],
        "celery_sustained": peers[middle],
        "carebridge_rounds_events_per_second": [run["events_per_second"] for run in carebridge],
        "celery_rounds_events_per_second": [run["events_per_second"] for run in peers],
        "ratio_of_celery_rate": round(ratio, 3),
        "ratios_per_round": [round(r, 3) for r in ratios],
        "carebridge_at_steady_rate": carebridge_latency,
        "celery_at_steady_rate": peer_latency,
        "p99_ratio_to_celery": round(ours_p99 / peer_p99, 3) if ours_p99 and peer_p99 else None,
        "checks": {"celery_inbox_rows": peer_rows,
                   # every event written once (each writer thread's first write, before the
                   # clock starts, included): none lost, none doubled
                   "celery_inbox_rows_expected": (100 + (ROUNDS + 1) * EVENTS + pipeline.STEADY_RATE
                                                  * pipeline.STEADY_SECONDS
                                                  + (ROUNDS + 2) * pipeline.WRITERS * pipeline.WRITER_THREADS
                                                  + pipeline.STEADY_WRITERS) * TEAM_SIZE},
        "load_average": {"before": load_before, "middle": load_middle, "after": load_after},
        "targets": {"at_least_celerys_rate": ratio >= 1.0},
    }
    report("event_peer", figures, started)


if __name__ == "__main__":
    main()
