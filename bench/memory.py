"""7. Memory: resident memory (RSS) of each service's API (gunicorn master
plus its 2 workers) and of its worker process (consumer, relay, jobs), after
some work: the whole stack up, a care team set up through the patients API
(its events consumed by the four other services), 500
`careplans.plan-updated` through the outbox (consumed by scheduling and
notifications), and 3 s of wrk on a read endpoint of each API (all six services).

The figure judged (issue 26: each API under 150 MiB resident) is the
physical memory the API's process group holds, each page counted once
(`api_resident_mib`, from pagemap): what the API's container occupies.
Summed RSS (`api_mib`, a page shared by the master and its workers counted
three times) and summed PSS/USS are reported beside it.
"""
from __future__ import annotations

import time
import uuid

from carebridge import outbox
from common import report, resident_pages_mib, rss_mib, shared_memory_mib, wrk
from harness import BenchStack, load_average, token
import event_pipeline

SERVICES = ["patients", "careplans", "scheduling", "billing", "notifications", "monitoring"]
EVENTS = 500


def main() -> None:
    started = time.monotonic()
    with BenchStack("memory", SERVICES) as stack:
        patient, team, staff = event_pipeline.set_up_team(stack)
        event_pipeline.wait_until_notifications_know_the_team(stack, team, staff)
        careplans = stack.runtime("careplans")
        plan = uuid.uuid4()
        for version in range(1, EVENTS + 1):
            with careplans.db.transaction() as session:
                outbox.record(session, "careplans.plan-updated", {
                    "plan_id": plan, "patient_id": uuid.UUID(patient), "care_team_id": uuid.UUID(team),
                    "version": version, "status": "active", "changed_sections": ["goals"],
                    "patient_facing": False, "author_id": uuid.UUID(staff[1])})
        reads = {
            "patients": (f"/patients/{patient}", "nurse", staff[1]),
            "careplans": (f"/tasks?owner_id={staff[0]}", "coordinator", staff[0]),
            "scheduling": ("/appointment-types", "coordinator", staff[0]),
            "billing": ("/payers", "billing", None),
            "notifications": ("/inbox", "nurse", staff[1]),
            "monitoring": ("/alerts?status=open", "nurse", staff[1]),
        }
        load_before = load_average()
        answered = {}
        for service, (path, role, subject) in reads.items():
            run = wrk(stack.url(service) + path, seconds=3, connections=8,
                      headers={"Authorization": f"Bearer {token(role, subject)}"})
            answered[service] = {"path": path.split("?")[0], "requests": run["requests"], "non_2xx": run["non_2xx"]}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and event_pipeline.count_inbox(stack.database_url("notifications")) < \
                EVENTS * event_pipeline.TEAM_SIZE:
            time.sleep(0.2)
        memory = {service: {"api_resident_mib": resident_pages_mib(stack.api_pid(service)),
                            "api_mib": rss_mib(stack.api_pid(service)),
                            **{f"api_{name}": value for name, value in shared_memory_mib(stack.api_pid(service)).items()},
                            "worker_mib": rss_mib(stack.worker_pid(service), include_children=False)}
                  for service in SERVICES}
        load_after = load_average()
    figures = {
        "what": "memory after work: API = gunicorn master + 2 workers (4 threads each): distinct physical pages of "
                "the group (api_resident_mib), summed VmRSS (api_mib), summed PSS/USS from smaps_rollup (api_pss_mib, "
                "api_uss_mib); worker = consumer, relay, jobs (RSS)",
        "services": memory,
        "total_mib": round(sum(m["api_mib"] + m["worker_mib"] for m in memory.values()), 1),
        "api_pss_total_mib": round(sum(m["api_pss_mib"] for m in memory.values()), 1),
        "targets": {"api_resident_under_150_mib": all(m["api_resident_mib"] is not None and m["api_resident_mib"] < 150
                                                      for m in memory.values())},
        "work_done": {"plan_updated_events": EVENTS, "reads": answered},
        "load_average": {"before": load_before, "after": load_after},
    }
    report("memory", figures, started)


if __name__ == "__main__":
    main()
