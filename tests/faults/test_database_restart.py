"""The patients service's PostgreSQL goes away and comes back while staff
keep registering patients: `/readyz` says unready (503, problem+json) while
it is down, requests are refused with 503 instead of hanging or half
succeeding, and the service recovers by itself, without a restart. Every
registration that was answered 2xx is there afterwards and announced to the
other services; a refused one retried with its Idempotency-Key succeeds once.
"""
import threading
import uuid

from support.api import ok
from support.observe import all_delivered_once, outbox
from support.stack import eventually

SERVICE = "patients"


class Registrations:
    """A front desk registering patients one after the other."""

    def __init__(self, stack, tag: str):
        self.client = stack.client(SERVICE, "coordinator")
        self.tag = tag
        self.accepted: dict[str, dict] = {}   # idempotency key -> patient
        self.refused: dict[str, dict] = {}    # idempotency key -> body
        self.statuses: list[int] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def body(self, number: int) -> dict:
        return {"mrn": f"DBR-{self.tag}-{number}", "given_name": "Dee", "family_name": f"Restart{self.tag}",
                "birth_date": "1960-01-01", "administrative_sex": "female", "time_zone": "UTC"}

    def register(self, key: str, body: dict):
        return self.client.post("/patients", json=body, headers={"Idempotency-Key": key}, timeout=30)

    def _run(self):
        number = 0
        try:
            while not self.stop.is_set():
                number += 1
                key, body = str(uuid.uuid4()), self.body(number)
                response = self.register(key, body)
                self.statuses.append(response.status_code)
                if response.status_code == 201:
                    self.accepted[key] = response.json()
                else:
                    assert response.status_code == 503, (response.status_code, response.text)
                    assert response.headers["Content-Type"].startswith("application/problem+json")
                    self.refused[key] = body
                self.stop.wait(0.05)
        except BaseException as error:  # surfaced by the test
            self.error = error

    def count(self, status: int) -> int:
        return self.statuses.count(status)


def readyz(stack):
    return stack.client(SERVICE).session.get(stack.url(SERVICE) + "/readyz", timeout=15)


def test_database_restart_is_reported_unready_and_recovered_without_losing_accepted_requests(stack, world):
    api_pid, worker_pid = stack.real.apis[SERVICE].pid, stack.real.workers[SERVICE].pid
    desk = Registrations(stack, world.tag)
    desk.thread.start()
    try:
        eventually(lambda: desk.count(201) >= 3, message="registrations before the outage")
        stack.databases[SERVICE].cut()
        try:
            unready = eventually(lambda: (r := readyz(stack)).status_code == 503 and [r], timeout=20,
                                 message="readiness to report the database")[0]
            assert unready.headers["Content-Type"].startswith("application/problem+json")
            assert unready.json()["checks"] == {"database": "unreachable"}
            refused_before = desk.count(503)
            eventually(lambda: desk.count(503) >= refused_before + 3, timeout=30,
                       message="registrations refused during the outage")
        finally:
            stack.databases[SERVICE].restore()

        eventually(lambda: readyz(stack).status_code == 200, timeout=30, message="the service ready again")
        after = desk.count(201)
        eventually(lambda: desk.count(201) >= after + 3, timeout=30, message="registrations after the outage")
    finally:
        desk.stop.set()
        desk.thread.join(30)
    assert desk.error is None, desk.error
    assert (stack.real.apis[SERVICE].pid, stack.real.workers[SERVICE].pid) == (api_pid, worker_pid)
    assert stack.real.apis[SERVICE].poll() is None and stack.worker_alive(SERVICE), "no restart needed"

    # The front desk retries what was refused, with the same keys: each succeeds once.
    for key, body in desk.refused.items():
        retried = desk.register(key, body)
        assert retried.status_code == 201, retried.text
        again = desk.register(key, body)
        assert again.status_code == 201 and again.json()["id"] == retried.json()["id"], "replayed, not repeated"
        desk.accepted[key] = retried.json()

    # Nothing accepted is lost: every patient is there, once, and announced everywhere.
    patients = desk.client
    for patient in desk.accepted.values():
        assert ok(patients.get(f"/patients/{patient['id']}"))["mrn"] == patient["mrn"]
    found = ok(patients.get("/patients", params={"q": f"Restart{world.tag}", "page_size": 100}))
    assert found["total"] == len(desk.accepted) == len({p["mrn"] for p in desk.accepted.values()})

    def announced():
        events = [e for e in outbox(stack, SERVICE, "patients.patient-registered")
                  if e["data"]["patient_id"] in {p["id"] for p in desk.accepted.values()}]
        assert len(events) == len(desk.accepted) and all(e["published"] for e in events), len(events)
        return all_delivered_once(stack, events)

    eventually(announced, timeout=45, message="every registration announced to every consumer")
