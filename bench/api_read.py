"""1. API read: GET /patients/{id} on the patients API under the production
gunicorn configuration, with a real token of a nurse on each patient's care
team (authentication, the care-team access check and the audit record all
run), beside bench/baseline_app.py (a plain Flask app reading the same row
of the same table by primary key with SQLAlchemy and marshmallow, nothing
else) under the same gunicorn configuration. Both at 32 connections from wrk,
after a warm-up, measured in alternating rounds so that a noisy neighbour
hurts both alike.

Targets (issue 26): at least 70% of the baseline's requests/s; p99 under 100 ms.
"""
from __future__ import annotations

import statistics
import sys
import time
import uuid

from sqlalchemy import create_engine, text

from carebridge import audit

from common import ROOT, CpuMeter, lua_cycling_gets, process_tree, report, wrk
from harness import GUNICORN_CONFIG, BenchStack, free_port, load_average, start_process, stop_process, token, wait_http

CONNECTIONS = 32
PATIENTS = 100
WARM_UP_SECONDS = 3
ROUND_SECONDS = 4
PAIRS = 5


def seed(stack: BenchStack) -> tuple[uuid.UUID, list[str]]:
    coordinator = stack.api("patients", "coordinator")
    nurse_id = uuid.uuid4()
    coordinator.post("/practitioners", json={"id": str(nurse_id), "given_name": "Bench", "family_name": "Nurse",
                                             "role": "nurse", "time_zone": "America/New_York"})
    other_nurse = coordinator.post("/practitioners", json={"given_name": "Other", "family_name": "Nurse",
                                                           "role": "nurse", "time_zone": "America/New_York"})["id"]
    ids = []
    for n in range(PATIENTS):
        patient = coordinator.post("/patients", json={
            "mrn": f"BENCH-{n:05d}", "given_name": "Ada", "family_name": f"Patient{n}", "birth_date": "1950-03-04",
            "administrative_sex": "female", "time_zone": "America/New_York",
            "contact_points": [{"system": "email", "value": f"ada{n}@example.org"},
                               {"system": "sms", "value": "+15555550100"}],
            "address": {"lines": ["1 Main St"], "city": "Springfield", "state": "MA", "postal_code": "01101",
                        "country": "US"},
            "communication": {"preferred_channel": "email"}})
        ids.append(patient["id"])
        # The nurse is on the patient's team with a colleague, as in practice.
        coordinator.post("/care-teams", json={"patient_id": patient["id"], "name": "Primary care",
                                              "members": [{"practitioner_id": str(nurse_id)},
                                                          {"practitioner_id": other_nurse}]})
    return nurse_id, ids


def summary(runs: list[dict]) -> dict:
    """Throughput over all rounds; latency percentiles as the median of the
    rounds' (robust to a neighbour's burst hitting one round) and the worst."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["seconds"] for r in runs)
    return {"requests": requests, "requests_per_second": round(requests / seconds, 1),
            "non_2xx": sum(r["non_2xx"] for r in runs), "socket_errors": sum(r["socket_errors"] for r in runs),
            "latency_ms": {k: round(statistics.median(r["latency_ms"][k] for r in runs), 2)
                           for k in ("p50", "p95", "p99")},
            "worst_round_latency_ms": {k: max(r["latency_ms"][k] for r in runs) for k in ("p50", "p95", "p99", "max")},
            "rounds_requests_per_second": [r["requests_per_second"] for r in runs]}


def main() -> None:
    started = time.monotonic()
    with BenchStack("api_read", ["patients"]) as stack:
        nurse_id, ids = seed(stack)
        port = free_port()
        baseline = start_process(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "--chdir", str(ROOT / "bench"),
             "baseline_app:app"],
            env={"DATABASE_URL": stack.database_url("patients"), "GUNICORN_BIND": f"127.0.0.1:{port}",
                 "GUNICORN_WORKERS": "2", "PROMETHEUS_MULTIPROC_DIR": str(stack.log_dir / "metrics-baseline")},
            log=stack.log_dir / "baseline.log")
        try:
            targets = {"carebridge": stack.url("patients"), "baseline": f"http://127.0.0.1:{port}"}
            wait_http(targets["baseline"] + f"/patients/{ids[0]}")
            headers = {"Authorization": f"Bearer {token('nurse', nurse_id)}"}
            lua = lua_cycling_gets([f"/patients/{i}" for i in ids])
            engine = create_engine(stack.runtime("patients").db.url)
            with engine.connect() as connection:
                audits_before = connection.scalar(text("SELECT count(*) FROM audit_records"))
            warm_up = {name: wrk(url, seconds=WARM_UP_SECONDS, connections=CONNECTIONS, headers=headers, lua=lua)
                       for name, url in targets.items()}
            runs: dict[str, list] = {"carebridge": [], "baseline": []}
            cpu_seconds = {"carebridge": 0.0, "baseline": 0.0}
            servers = {"carebridge": stack.api_pid("patients"), "baseline": baseline.pid}
            load_before = load_average()
            # Pairs of rounds, in alternating order (ABBA...), so that drift in
            # the machine's load favours neither.
            for pair in range(PAIRS):
                order = ["carebridge", "baseline"] if pair % 2 == 0 else ["baseline", "carebridge"]
                for name in order:
                    # The API's own CPU (gunicorn master and workers) per
                    # request answered: what a change on the read path costs,
                    # whatever the machine's neighbours do to throughput.
                    meter = CpuMeter({name: process_tree(servers[name])})
                    runs[name].append(wrk(targets[name], seconds=ROUND_SECONDS, connections=CONNECTIONS,
                                          headers=headers, lua=lua))
                    cpu_seconds[name] += meter.used()[name]
            load_after = load_average()
            with engine.connect() as connection:
                audits = connection.scalar(text("SELECT count(*) FROM audit_records")) - audits_before
                audits_read = connection.scalar(text(
                    "SELECT count(*) FROM audit_records WHERE action = 'read' AND outcome = 'success' "
                    "AND actor = :nurse"), {"nurse": str(nurse_id)})
            engine.dispose()
            with stack.runtime("patients").db.transaction() as session:
                chain = audit.verify_chain(session)
        finally:
            stop_process(baseline)
    carebridge, lean = summary(runs["carebridge"]), summary(runs["baseline"])
    ratios = [c["requests_per_second"] / b["requests_per_second"] for c, b in zip(runs["carebridge"], runs["baseline"])]
    ratio = statistics.median(ratios)
    served = warm_up["carebridge"]["requests"] + carebridge["requests"]
    figures = {
        "what": "GET /patients/{id} as a nurse on the care team (JWT, care-team check, audit record) vs a lean "
                "Flask+SQLAlchemy+marshmallow app reading the same row; production gunicorn config "
                "(2 workers x 4 threads) for both; wrk, 32 connections",
        "connections": CONNECTIONS, "patients": PATIENTS, "pairs_of_rounds": PAIRS, "round_seconds": ROUND_SECONDS,
        "carebridge": carebridge, "baseline": lean,
        "ratio_of_baseline_rps": round(ratio, 3),
        "api_cpu_ms_per_request": {name: round(1000 * cpu_seconds[name] / summary(runs[name])["requests"], 3)
                                   for name in runs},
        "ratio_per_pair": [round(r, 3) for r in ratios],
        "audit_records_written": audits, "carebridge_requests_answered": served,
        "audited_every_request": audits >= served and audits_read == audits,
        "audit_chain_verifies": chain.ok, "audit_records_verified": chain.checked,
        "load_average": {"before": load_before, "after": load_after},
        "targets": {"ratio_at_least_0.70": ratio >= 0.70, "p99_under_100ms": carebridge["latency_ms"]["p99"] < 100},
    }
    report("api_read", figures, started)


if __name__ == "__main__":
    main()
