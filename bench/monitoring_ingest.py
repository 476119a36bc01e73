"""8. Remote monitoring ingestion: device gateways' batches of 1,000 readings
through the monitoring API (gunicorn, production configuration) on
PostgreSQL, every reading matched to its enrolment, converted, checked,
deduplicated, counted per calendar day and evaluated against every limit
and trend rule of its enrolment (heart failure: weight gain over a day and a
week, three high systolic pressures in a row, blood pressure, heart rate and
SpO2 limits), against a plain psycopg `INSERT` of the same rows (the same
columns, the same unique constraint and indexes, one transaction per batch
of 1,000, as many client threads) into a copy of the readings table in the
same database, in the same run. Rounds alternate, and the figure is the
median of each CareBridge round's ratio to the mean of the plain rounds
around it.

Then latency: readings at a steady 500 per second (batches of 50 every
0.1 s), one in every ten batches carrying a critical SpO2 of a patient the
care plans service knows; each such reading from the moment its batch was
sent to the moment care plans' urgent task for its alert is committed
(monitoring outbox -> relay -> RabbitMQ -> careplans consumer).

Targets: at least 3,000 readings/s with every rule evaluated; p99 reading
to task under 2 s at 500 readings/s. The ratio is reported.
"""
from __future__ import annotations

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import psycopg
import requests

from common import CpuMeter, process_tree, report
from harness import BenchStack, load_average, token

ENROLMENTS = 400            # heart-failure patients with a scale and a cuff
BATCH = 1000
CLIENTS = 4                 # gateway connections sending at once
BATCHES_PER_ROUND = 24      # 24,000 readings a round
ROUNDS = 3
STEADY_RATE = 500
STEADY_BATCH = 50
STEADY_SECONDS = 20
ALERT_EVERY = 10            # one batch in ten carries a critical reading
START = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


def psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def enrol_all(stack: BenchStack, count: int, prefix: str, patients: list[str] | None = None) -> list[dict]:
    nurse = stack.api("monitoring", "coordinator")
    enrolments = []
    for n in range(count):
        patient = patients[n] if patients else str(uuid.uuid4())
        enrolments.append(nurse.post("/enrolments", json={
            "patient_id": patient, "condition": "heart-failure",
            "measures": ["weight", "blood-pressure", "heart-rate", "spo2"],
            "device": {"kind": "gateway-hub", "serial": f"{prefix}-{n:05d}"},
            "consent_date": "2026-03-01", "time_zone": "America/Chicago"}))
    return enrolments


class Readings:
    """Gateway batches: each enrolment's readings a few minutes apart,
    plausible values around its own baseline (a few cross a limit)."""

    def __init__(self, enrolments: list[dict]):
        self.serials = [e["device"]["serial"] for e in enrolments]
        self.minute = 0
        self.lock = threading.Lock()

    def batch(self, size: int = BATCH) -> list[dict]:
        with self.lock:
            minute, self.minute = self.minute, self.minute + 1
        taken = (START + timedelta(hours=3 * minute)).isoformat()   # a device reports every few hours
        readings = []
        per_device = 4
        for n in range(size // per_device):
            serial = self.serials[(minute * (size // per_device) + n) % len(self.serials)]
            wobble = (minute + n) % 7
            readings += [
                {"device_serial": serial, "measure": "weight", "value": 80 + wobble / 10, "unit": "kg",
                 "taken_at": taken},
                {"device_serial": serial, "measure": "blood-pressure", "value": 128 + wobble * 6,
                 "diastolic": 80 + wobble, "unit": "mm[Hg]", "taken_at": taken},
                {"device_serial": serial, "measure": "heart-rate", "value": 66 + wobble, "unit": "/min",
                 "taken_at": taken},
                {"device_serial": serial, "measure": "spo2", "value": 95 + wobble % 4, "unit": "%",
                 "taken_at": taken},
            ]
        return readings


def as_rows(readings: list[dict], enrolment_of: dict) -> list[tuple]:
    """The rows the service stores for these readings, for the plain INSERT."""
    now = datetime.now(timezone.utc)
    return [(uuid.uuid4(), enrolment_of[r["device_serial"]]["id"], enrolment_of[r["device_serial"]]["patient_id"],
             r["measure"], r["value"], r.get("diastolic"), r["unit"], r["unit"], r["device_serial"], "device",
             r["taken_at"], now) for r in readings]


def carebridge_round(url: str, gateway_token: str, readings: Readings) -> tuple[float, int]:
    batches = [readings.batch() for _ in range(BATCHES_PER_ROUND)]
    sessions = [requests.Session() for _ in range(CLIENTS)]
    for session in sessions:
        session.headers["Authorization"] = f"Bearer {gateway_token}"

    def send(index: int) -> int:
        response = sessions[index % CLIENTS].post(f"{url}/readings/batches", json={"readings": batches[index]},
                                                  timeout=120)
        response.raise_for_status()
        result = response.json()
        assert result["refused"] == 0, result["results"][:3]
        return result["stored"]

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        stored = sum(pool.map(send, range(len(batches))))
    return stored / (time.perf_counter() - started), stored


PLAIN_INSERT = """INSERT INTO bench_plain_readings (id, enrolment_id, patient_id, measure, value, value2, unit,
    sent_unit, device_serial, source, taken_at, received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"""


def plain_round(database_url: str, readings: Readings, enrolment_of: dict) -> tuple[float, int]:
    batches = [as_rows(readings.batch(), enrolment_of) for _ in range(BATCHES_PER_ROUND)]
    connections = [psycopg.connect(psycopg_url(database_url)) for _ in range(CLIENTS)]
    try:
        def send(index: int) -> int:
            connection = connections[index % CLIENTS]
            with connection.cursor() as cursor:
                cursor.executemany(PLAIN_INSERT, batches[index])
            connection.commit()
            return len(batches[index])

        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            stored = sum(pool.map(send, range(len(batches))))
        return stored / (time.perf_counter() - started), stored
    finally:
        for connection in connections:
            connection.close()


def register_patients(stack: BenchStack, count: int) -> list[str]:
    coordinator = stack.api("patients", "coordinator")
    return [coordinator.post("/patients", json={
        "mrn": f"RPM-{n:05d}", "given_name": "Bench", "family_name": f"Patient{n}", "birth_date": "1950-01-01",
        "administrative_sex": "female", "time_zone": "America/Chicago"})["id"] for n in range(count)]


def wait_until_careplans_knows(stack: BenchStack, patients: list[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(psycopg_url(stack.database_url("careplans")), autocommit=True) as connection:
        while connection.execute("SELECT count(*) FROM patient_projection WHERE patient_id = ANY(%s)",
                                 ([uuid.UUID(p) for p in patients],)).fetchone()[0] < len(patients):
            if time.monotonic() > deadline:
                raise TimeoutError("careplans did not learn the patients")
            time.sleep(0.2)


def steady_latency(stack: BenchStack, gateway_token: str, readings: Readings, alerting: list[dict]) -> dict:
    """Batches of STEADY_BATCH at STEADY_RATE readings/s; every ALERT_EVERY-th
    batch has one critical SpO2 of a fresh known patient: from the batch's
    send to the commit of care plans' task for it. Care plans' tasks are
    watched while the batches are sent (a watcher that only began after the
    last send would date every task at the end of the sending, and measure
    how long the sending lasted). Afterwards each alert's stages are read
    from the databases: monitoring's outbox row (written, published), care
    plans' inbox row and its task (the handler's clock, before its commit)."""
    url = stack.url("monitoring")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {gateway_token}"
    interval = STEADY_BATCH / STEADY_RATE
    count = int(STEADY_SECONDS / interval)
    sent_at: dict[str, float] = {}
    sent_wall: dict[str, datetime] = {}
    seen: dict[str, float] = {}
    sending_done = threading.Event()
    fresh = iter(alerting)
    lateness = []

    def watch() -> None:
        with psycopg.connect(psycopg_url(stack.database_url("careplans")), autocommit=True) as connection:
            deadline = None
            while True:
                if sending_done.is_set():
                    deadline = deadline or time.monotonic() + 60
                    if len(seen) >= len(sent_at) or time.monotonic() > deadline:
                        return
                waiting = [k for k in list(sent_at) if k not in seen]
                if waiting:
                    for (key,) in connection.execute("SELECT open_key FROM tasks WHERE open_key = ANY(%s)",
                                                     (waiting,)).fetchall():
                        seen[key] = time.perf_counter()
                time.sleep(0.005)

    watcher = threading.Thread(target=watch, name="task-watcher", daemon=True)
    watcher.start()
    started = time.perf_counter()
    for k in range(count):
        due = started + k * interval
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        lateness.append(max(0.0, -pause))
        batch = readings.batch(STEADY_BATCH)
        alerted = None
        if k % ALERT_EVERY == 0:
            alerted = next(fresh)
            batch[0] = {"device_serial": alerted["device"]["serial"], "measure": "spo2", "value": 84, "unit": "%",
                        "taken_at": batch[0]["taken_at"]}
        at, wall = time.perf_counter(), datetime.now(timezone.utc)
        response = session.post(f"{url}/readings/batches", json={"readings": batch}, timeout=60)
        response.raise_for_status()
        if alerted is not None:
            [alert_id] = response.json()["alerts_opened"]
            sent_wall[f"monitoring-alert:{alert_id}"] = wall
            sent_at[f"monitoring-alert:{alert_id}"] = at
    sending = time.perf_counter() - started
    sending_done.set()
    watcher.join()
    latencies = sorted((seen[k] - sent_at[k]) * 1000 for k in seen)
    return {"readings_per_second": round(count * STEADY_BATCH / sending), "alerts": len(sent_at),
            "tasks_seen": len(seen),
            "reading_to_task_ms": percentiles(latencies),
            "stages_ms": stages(stack, sent_wall),
            "sender_late_ms_max": round(max(lateness) * 1000, 1)}


def percentiles(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {}
    return {"p50": round(statistics.median(values)), "p95": round(values[int(0.95 * (len(values) - 1))]),
            "p99": round(values[int(0.99 * (len(values) - 1))]), "max": round(values[-1])}


def stages(stack: BenchStack, sent_wall: dict[str, datetime]) -> dict:
    """Each alert's way from its batch's send, in ms, by the databases' own
    timestamps: the alert opened, its outbox row written and published,
    care plans' inbox row and task."""
    rows = {name: [] for name in ("alert_opened", "outbox_written", "published", "careplans_inbox", "task_created")}
    with psycopg.connect(psycopg_url(stack.database_url("monitoring")), autocommit=True) as monitoring, \
            psycopg.connect(psycopg_url(stack.database_url("careplans")), autocommit=True) as careplans:
        for key, sent in sent_wall.items():
            alert_id = uuid.UUID(key.split(":", 1)[1])
            opened = monitoring.execute("SELECT opened_at FROM alerts WHERE id = %s", (alert_id,)).fetchone()
            event = monitoring.execute(
                "SELECT event_id, created_at, published_at FROM outbox_events "
                "WHERE event_type = 'monitoring.alert-opened' AND payload LIKE %s", (f"%{alert_id}%",)).fetchone()
            inbox = careplans.execute("SELECT processed_at FROM inbox_events WHERE event_id = %s",
                                      (event[0],)).fetchone() if event else None
            task = careplans.execute("SELECT created_at FROM tasks WHERE open_key = %s", (key,)).fetchone()
            for name, at in (("alert_opened", opened and opened[0]), ("outbox_written", event and event[1]),
                             ("published", event and event[2]), ("careplans_inbox", inbox and inbox[0]),
                             ("task_created", task and task[0])):
                if at is not None:
                    rows[name].append((at - sent).total_seconds() * 1000)
    return {name: percentiles(values) for name, values in rows.items()}


def main() -> None:
    started = time.monotonic()
    load_before = load_average()
    with BenchStack("monitoring_ingest", ["patients", "careplans", "monitoring"]) as stack:
        enrolments = enrol_all(stack, ENROLMENTS, "HUB")
        enrolment_of = {e["device"]["serial"]: e for e in enrolments}
        owner = psycopg_url(stack.real.owner_database_url("monitoring"))
        with psycopg.connect(owner, autocommit=True) as connection:
            connection.execute("CREATE TABLE bench_plain_readings (LIKE readings INCLUDING ALL)")
            connection.execute(f"GRANT INSERT, SELECT ON bench_plain_readings TO {stack.real.runtime_role('monitoring')}")
        gateway_token = token("device-gateway", "bench-gateway")
        readings = Readings(enrolments)
        carebridge_round(stack.url("monitoring"), gateway_token, readings)   # warm-up (caches, connections)
        plain = [plain_round(stack.database_url("monitoring"), readings, enrolment_of)[0]]
        rates, ratios = [], []
        meter = CpuMeter({"monitoring-api": process_tree(stack.api_pid("monitoring"))})
        for _ in range(ROUNDS):
            rate, _stored = carebridge_round(stack.url("monitoring"), gateway_token, readings)
            plain.append(plain_round(stack.database_url("monitoring"), readings, enrolment_of)[0])
            rates.append(rate)
            ratios.append(rate / ((plain[-2] + plain[-1]) / 2))
        cpu = meter.used()
        with psycopg.connect(psycopg_url(stack.database_url("monitoring")), autocommit=True) as connection:
            stored, alerts = connection.execute(
                "SELECT (SELECT count(*) FROM readings), (SELECT count(*) FROM alerts)").fetchone()

        patients = register_patients(stack, int(STEADY_SECONDS * STEADY_RATE / STEADY_BATCH / ALERT_EVERY) + 1)
        wait_until_careplans_knows(stack, patients)
        alerting = enrol_all(stack, len(patients), "OXI", patients)
        steady = steady_latency(stack, gateway_token, readings, alerting)

    report("monitoring_ingest", {
        "enrolments": ENROLMENTS, "batch": BATCH, "clients": CLIENTS,
        "readings_per_second": [round(r) for r in rates],
        "readings_per_second_median": round(statistics.median(rates)),
        "plain_insert_per_second": [round(r) for r in plain],
        "ratio_rounds": [round(r, 3) for r in ratios], "ratio": round(statistics.median(ratios), 3),
        "readings_stored": stored, "alerts_opened": alerts,
        "monitoring_api_cpu_seconds": cpu,
        "steady": steady, "load_average": {"before": load_before, "after": load_average()},
        "targets": {"readings_per_second": ">= 3000", "reading_to_task_p99_ms": "< 2000"},
    }, started)


if __name__ == "__main__":
    main()
