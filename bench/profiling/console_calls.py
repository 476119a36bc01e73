"""What each of the patient page's service calls costs the services: the
CPU (user + system, from /proc) of the called API's gunicorn master and
workers over N calls of one endpoint, one at a time, as a coordinator on the
patient's care team, against the real stack and the seed of
console_pages.py (fewer open tasks: the patient page reads none).

A diagnostic beside console_pages.py, not one of run_all.py's programs:

    .venv/bin/python bench/profiling/console_calls.py        # N=60 calls each
    CONSOLE_CALLS_N=300 CONSOLE_CALLS_ONLY=notifications .venv/bin/python bench/profiling/console_calls.py

Judge it by the CPU column, and compare figures only within one run (the
CPU a call costs rises with other load on the host); the load average is
printed with them. 9 of these calls make one patient page (the staff
names and appointment types are kept per signed-in person).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/: console_pages, harness
import console_pages as cp  # noqa: E402
from harness import BenchStack, load_average  # noqa: E402

N = int(os.environ.get("CONSOLE_CALLS_N", "60"))
ONLY = os.environ.get("CONSOLE_CALLS_ONLY", "")     # measure only the calls whose name contains this


def main() -> int:
    cp.TASKS = 20
    with BenchStack("console_calls", cp.SERVICES, api_workers=2) as services:
        cp.URLS.update({name: services.url(name) for name in cp.SERVICES})
        staff, patients = cp.seed()
        pid = str(patients[3][0].id)
        cb = cp.client("coordinator", str(staff[1].id))
        plan = next(iter(cb.careplans.list(patient_id=pid).plain()))["id"]
        calls = {   # as gateway.Calls.patient_record makes them
            "patients chart": ("patients", lambda: cb.patients.get_chart(pid)),
            "patients practitioner (names, kept)": ("patients", lambda: cb.patients.get_practitioner(str(staff[2].id))),
            "careplans list": ("careplans", lambda: list(cb.careplans.list(patient_id=pid, page_size=20))),
            "careplans GET plan": ("careplans", lambda: cb.careplans.get(plan)),
            "careplans medication alerts": ("careplans", lambda: list(cb.careplans.list_medication_alerts(
                plan_id=plan, page_size=50))),
            "scheduling appointments": ("scheduling", lambda: list(cb.scheduling.search_appointments(
                patient_id=pid, page_size=100))),
            "scheduling booking requests": ("scheduling", lambda: list(cb.scheduling.list_booking_requests(
                patient_id=pid, status="open", page_size=50))),
            "scheduling waitlist": ("scheduling", lambda: list(cb.scheduling.list_waitlist_entries(
                patient_id=pid, page_size=50))),
            "scheduling appointment types (kept)": ("scheduling", lambda: list(cb.scheduling.list_appointment_types(
                active=True, page_size=100))),
            "billing overview": ("billing", lambda: cb.billing.get_overview(patient_id=pid, latest=10)),
            "notifications patient history": ("notifications", lambda: list(
                cb.notifications.list_patient_notifications(patient_id=pid, page_size=30))),
        }
        calls = {name: value for name, value in calls.items() if ONLY in name}
        for _service, call in calls.values():    # warm every worker's caches
            for _ in range(4):
                call()
        time.sleep(2)
        rows, load_before = {}, load_average()
        for name, (service, call) in calls.items():
            pids = [services.api_pid(service)]
            cpu, started = cp._cpu_seconds(pids), time.perf_counter()
            for _ in range(N):
                call()
            rows[name] = {"service_cpu_ms": round(1000 * (cp._cpu_seconds(pids) - cpu) / N, 2),
                          "wall_ms": round(1000 * (time.perf_counter() - started) / N, 2)}
            print(f"{name:40s} service CPU {rows[name]['service_cpu_ms']:6.2f} ms   wall {rows[name]['wall_ms']:6.2f} ms",
                  file=sys.stderr, flush=True)
    print(json.dumps({"benchmark": "console_calls", "calls_each": N, "calls": rows,
                      "load_average_before": load_before, "load_average_after": load_average()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
