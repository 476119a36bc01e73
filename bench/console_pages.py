"""The coordinator console's two busiest pages under 16 concurrent users:
My day (worklist and inbox) and the patient page (read from the five
services in parallel), server time p50/p95 as the console's users see it.

The services run as in production (bench/harness.py: gunicorn APIs and
workers on PostgreSQL and RabbitMQ); the console under gunicorn with one
process of 16 threads (its sessions live in that process). The demo
data, made through carebridge-client: 16 coordinators, a physician and a
nurse, 25 patients each with a care team of them all and an active heart
failure plan, and 500 open tasks (a quarter unassigned, the rest spread over
the coordinators). Each of the 16 users signs in through the development
sign-in page, then works as a person does: loads a page, reads it for a
moment (a pause drawn between THINK_SECONDS, 1.5 s on average: faster than
anyone reads a worklist, so the load is on the high side of a real team's),
and loads the next one, for the measured seconds. The users start at random
moments within their first pause so they don't arrive in step.

Targets (issue 18, under those 16 working users): My day p95 < 250 ms,
patient page p95 < 400 ms.

Reported beside it, for capacity: the same 16 users with no pause at all
(each loads the next page the moment the last one arrives: 16 requests always
in flight, a load no team of 16 makes), where the figure that matters is CPU
per page; latency there is queueing for the 2 cores.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report  # noqa: E402
from harness import JWT_SECRET, BenchStack, free_port, load_average, token  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
USERS = 16
PATIENTS = 25
TASKS = 500
SECONDS = float(os.environ.get("CONSOLE_BENCH_SECONDS", "30"))
SATURATION_SECONDS = float(os.environ.get("CONSOLE_BENCH_SATURATION_SECONDS", "10"))
THINK_SECONDS = (0.5, 2.5)


SERVICES = ["patients", "careplans", "scheduling", "billing", "notifications"]
URLS: dict[str, str] = {}
CONSOLE = f"http://127.0.0.1:{free_port()}"


def client(role: str, subject: str | None = None):
    import carebridge_client
    return carebridge_client.CareBridge(base_urls=URLS,
                                        token_provider=carebridge_client.StaticToken(token(role, subject)))


def seed() -> tuple[list, list]:
    admin = client("admin", "bench")
    tag = uuid.uuid4().hex[:6]
    staff = [admin.patients.add_practitioner(given_name=f"Coord{i}", family_name=f"Bench{tag}", role="coordinator",
                                             time_zone="America/Chicago") for i in range(USERS)]
    physician = admin.patients.add_practitioner(given_name="Omar", family_name=f"Bench{tag}", role="physician",
                                                time_zone="America/Chicago")
    nurse = admin.patients.add_practitioner(given_name="Nia", family_name=f"Bench{tag}", role="nurse",
                                            time_zone="America/Chicago")
    lead = client("coordinator", str(staff[0].id))
    doctor = client("physician", str(physician.id))
    patients = []
    for n in range(PATIENTS):
        patient = lead.patients.register(mrn=f"MRN-B{tag}-{n}", given_name=f"Pat{n}", family_name=f"Bench{tag}",
                                         birth_date="1950-01-01", administrative_sex="female",
                                         time_zone="America/Chicago")
        team = lead.patients.create_care_team(
            patient_id=str(patient.id), name="Heart failure", status="active", lead_coordinator_id=str(staff[0].id),
            members=[{"practitioner_id": str(s.id), "role": "coordinator"} for s in staff]
            + [{"practitioner_id": str(physician.id), "role": "physician"},
               {"practitioner_id": str(nurse.id), "role": "nurse"}])
        patients.append((patient, team))
    for patient, team in patients:      # the care team reaches careplans asynchronously
        for _ in range(200):
            try:
                plan = doctor.careplans.create_from_template(template_code="heart-failure-post-discharge",
                                                             patient_id=str(patient.id), care_team_id=str(team.id))
                break
            except Exception:
                time.sleep(0.1)
        doctor.careplans.get(plan.id)
        doctor.careplans.change_status(plan.id, status="active", reason="Discharged home")
    now = dt.datetime.now(dt.timezone.utc)
    codes = ["outreach", "check-in", "adherence-review", "rebook", "medication-review", "general"]
    for i in range(TASKS):
        patient, _ = patients[i % PATIENTS]
        owner = None if i % 4 == 0 else str(staff[i % USERS].id)
        task = lead.careplans.create_task(patient_id=str(patient.id), code=codes[i % len(codes)],
                                          priority=["routine", "urgent", "asap"][i % 3], reason=f"Bench task {i}",
                                          due_at=(now + dt.timedelta(hours=(i % 96) - 24)).isoformat(),
                                          **({"owner_id": owner} if owner else {}))
        if owner is None:
            lead.careplans.get_task(task.id)
            lead.careplans.reassign_task(task.id, owner_id=None, reason="For the team")
    return staff, patients


def signed_in(person) -> requests.Session:
    http = requests.Session()
    page = http.get(CONSOLE + "/sign-in", params={"q": person.family_name}).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = http.post(CONSOLE + "/sign-in/development", data={"practitioner_id": str(person.id), "csrf_token": token},
                       allow_redirects=False)
    assert answer.status_code == 302, answer.text[:300]
    return http


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and their children (gunicorn's
    workers), from /proc: less sensitive to other load than latency."""
    ticks = os.sysconf("SC_CLK_TCK")
    wanted, total = set(pids), 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid in wanted or ppid in wanted:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


CPU_OF: dict[str, list[int]] = {}


def measure(sessions: list, paths_of, seconds: float, think: tuple[float, float] | None) -> dict:
    """Each session loads paths_of(user, n) in turn for `seconds`, pausing a
    random time within `think` between pages (None: no pause)."""
    timings, errors = [], []
    cpu_before = {name: _cpu_seconds(pids) for name, pids in CPU_OF.items()}
    load_before = load_average()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(index: int, http: requests.Session):
        pause = random.Random(index)
        if think:
            time.sleep(pause.uniform(0, think[1]))
        n = 0
        while time.monotonic() < stop_at:
            path = paths_of(index, n)
            started = time.perf_counter()
            answer = http.get(CONSOLE + path)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (timings if answer.status_code == 200 else errors).append(elapsed)
            n += 1
            if think:
                time.sleep(pause.uniform(*think))

    threads = [threading.Thread(target=user, args=(i, s)) for i, s in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = {name: _cpu_seconds(pids) - cpu_before[name] for name, pids in CPU_OF.items()}
    timings.sort()
    pages = max(1, len(timings))
    cpu_ms = {f"{name}_cpu_ms_per_page": round(1000 * seconds / pages, 1) for name, seconds in cpu.items()}
    pick = lambda q: round(timings[min(len(timings) - 1, int(q * len(timings)))], 1)  # noqa: E731
    return {"requests": len(timings), "errors": len(errors), "per_second": round(len(timings) / seconds, 1),
            "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "mean_ms": round(statistics.fmean(timings), 1) if timings else None, **cpu_ms,
            "load_average_before": load_before, "load_average_after": load_average()}


def main() -> int:
    started = time.monotonic()
    data = Path(tempfile.mkdtemp(prefix="console-bench-"))
    with BenchStack("console", SERVICES, api_workers=2) as services:
        URLS.update({name: services.url(name) for name in SERVICES})
        CPU_OF["services"] = [services.api_pid(name) for name in SERVICES]
        env = {**{k: v for k, v in os.environ.items() if not k.endswith("_URL")},
               **{f"{name.upper()}_URL": url for name, url in URLS.items()},
               "CAREBRIDGE_ENV": "development", "JWT_SECRET": JWT_SECRET, "CONSOLE_SECRET_KEY": uuid.uuid4().hex}
        with open(data / "console.log", "w") as log:
            console = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--workers", "1", "--threads", "16", "--worker-class", "gthread",
                 "--bind", CONSOLE.removeprefix("http://"), "carebridge_console.wsgi:app"],
                env=env, stdout=log, stderr=subprocess.STDOUT)
            CPU_OF["console"] = [console.pid]
            try:
                worklist, patient_page, saturated = run(console)
            finally:
                console.terminate()
                console.wait(timeout=30)
    report("console_pages", {
        "users": USERS, "patients": PATIENTS, "open_tasks": TASKS, "seconds_each": SECONDS,
        "think_seconds": {"between": list(THINK_SECONDS), "mean": statistics.fmean(THINK_SECONDS)},
        "server": "console: gunicorn 1 process x 16 threads; services: gunicorn 2 workers each, PostgreSQL, RabbitMQ",
        "my_day": worklist, "patient_page": patient_page,
        "without_pause": {"seconds_each": SATURATION_SECONDS, **saturated},
        "targets": {"my_day_p95_ms": 250, "patient_page_p95_ms": 400},
        "met": {"my_day": worklist["p95_ms"] < 250, "patient_page": patient_page["p95_ms"] < 400}}, started)
    return 0


def run(console) -> tuple[dict, dict, dict]:
    """Seed, sign the 16 users in, and measure both pages: as people work,
    then without pause."""
    for _ in range(600):
        try:
            if requests.get(CONSOLE + "/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    staff, patients = seed()
    sessions = [signed_in(person) for person in staff]
    for http in sessions:    # warm up: one of each page per user
        http.get(CONSOLE + "/")
        http.get(CONSOLE + f"/patients/{patients[0][0].id}")
    my_day = lambda i, n: "/"  # noqa: E731
    patient_page = lambda i, n: f"/patients/{patients[(i + n) % PATIENTS][0].id}"  # noqa: E731
    working = (measure(sessions, my_day, SECONDS, THINK_SECONDS), measure(sessions, patient_page, SECONDS, THINK_SECONDS))
    saturated = {"my_day": measure(sessions, my_day, SATURATION_SECONDS, None),
                 "patient_page": measure(sessions, patient_page, SATURATION_SECONDS, None)}
    return (*working, saturated)


if __name__ == "__main__":
    sys.exit(main())
