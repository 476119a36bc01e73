"""`make bench`: runs every benchmark program, each in its own process, and
writes what they print (one JSON object each) to bench/results/latest.json,
after moving the run before it to bench/results/previous.json (so that a
regression shows beside the figures it regressed from).

    .venv/bin/python bench/run_all.py [name ...]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "api_read",          # 1. GET a patient vs a lean baseline app
    "booking_write",     # 2. booking appointments at 32 connections
    "booking_peak",      # 3. 64 clients competing for 50 slots
    "slot_search",       # 4. slot search over 200 practitioners x 90 days
    "event_pipeline",    # 5. outbox -> RabbitMQ -> notifications fan-out vs raw kombu
    "scheduling_scaling",  # 6. scheduling with 1, 2 and 4 gunicorn workers
    "memory",            # 7. resident memory of every API and worker
    "client_overhead",   # 8. the Python client against plain requests on GET /patients/{id}
    "monitoring_ingest",  # 9. device batches with every rule evaluated vs a plain psycopg INSERT
    "console_pages",     # 10. the console's My day and patient page under 16 users
    "fhir_exchange",     # 11. one patient's 2-year record exported as FHIR; 100 Synthea Bundles imported
    "event_peer",        # 12. the event pipeline vs the same fan-out as a Celery task (acks_late)
]
# What the peers (bench/peers/) need beyond the project's own packages.
REQUIREMENTS = HERE / "requirements.txt"


def ensure_bench_requirements() -> None:
    """Install bench/requirements.txt into this venv if a pin is missing
    (`make bench` stays one command on a fresh machine)."""
    from importlib.metadata import PackageNotFoundError, version
    wanted = [line.split("#")[0].strip() for line in REQUIREMENTS.read_text().splitlines()]
    for pin in filter(None, wanted):
        name, _, pinned = pin.partition("==")
        try:
            if version(name) == pinned:
                continue
        except PackageNotFoundError:
            pass
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-c", str(HERE.parent / "constraints.txt"), "-r", str(REQUIREMENTS)], check=True)
        return


def main(selected: list[str]) -> int:
    names = selected or BENCHMARKS
    if "event_peer" in names:
        ensure_bench_requirements()
    results, failures = [], []
    started = time.monotonic()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    for name in names:
        print(f"--- {name}", flush=True)
        run = subprocess.run([sys.executable, str(HERE / f"{name}.py")], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(name)
            print(run.stdout[-2000:], run.stderr[-4000:], sep="\n")
            continue
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        results.append(figures)
        print(json.dumps({k: v for k, v in figures.items() if k != "machine"}, indent=2))
    document = {"ran_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "total_seconds": round(time.monotonic() - started, 1),
                "machine": results[0]["machine"] if results else None,
                "load_average": {"start": load_at_start, "end": [round(x, 2) for x in os.getloadavg()]},
                "results": results, "failed": failures}
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    latest = folder / "latest.json"
    if latest.exists():
        latest.replace(folder / "previous.json")
    latest.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {HERE / 'results' / 'latest.json'} in {document['total_seconds']}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
