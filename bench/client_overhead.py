"""8. The Python client's overhead: `GET /patients/{id}` through
`carebridge_client` (`cb.patients.get(id)`: token header, X-Request-ID,
timeout, problem check, a typed `Patient` with its ETag remembered) against
plain `requests` on one `requests.Session` doing the same call and
`.json()`, both on the same `requests.Session` (so the same kept-alive
connection, to the same gunicorn worker), one request at a time, on the
patients API under the production gunicorn configuration. Alternating rounds;
the ratio is the median of the rounds' (client seconds per call / plain
seconds per call), and the client's own CPU per call is reported too.

Target: the client adds under 10% (ratio < 1.10).
"""
from __future__ import annotations

import statistics
import time

import requests

from carebridge_client import CareBridge, StaticToken

from common import report
from harness import BenchStack, load_average, token

PATIENTS = 50
CALLS_PER_ROUND = 300
PAIRS = 7
WARM_UP_CALLS = 200


def seed(stack: BenchStack) -> list[str]:
    coordinator = stack.api("patients", "coordinator")
    return [coordinator.post("/patients", json={
        "mrn": f"CLIENT-{n:04d}", "given_name": "Zoë", "family_name": f"Ångström{n}", "birth_date": "1950-03-04",
        "administrative_sex": "female", "time_zone": "Europe/Oslo",
        "contact_points": [{"system": "email", "value": f"zoe{n}@example.org"}],
        "communication": {"preferred_channel": "email"}})["id"] for n in range(PATIENTS)]


def plain_round(session: requests.Session, base: str, bearer: str, ids: list[str], calls: int) -> tuple[float, float]:
    headers = {"Authorization": f"Bearer {bearer}"}
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(calls):
        response = session.get(f"{base}/patients/{ids[n % len(ids)]}", headers=headers, timeout=15)
        assert response.status_code == 200, response.text[:300]
        response.json()
    return time.perf_counter() - wall, time.process_time() - cpu


def client_round(cb: CareBridge, ids: list[str], calls: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(calls):
        patient = cb.patients.get(ids[n % len(ids)])
        assert patient.id
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    started = time.monotonic()
    with BenchStack("client_overhead", ["patients"], workers=False) as stack:
        ids = seed(stack)
        base = stack.real.base_url("patients")
        bearer = token("coordinator")
        session = requests.Session()
        cb = CareBridge({"patients": base}, StaticToken(bearer), timeout=15, session=session)
        plain_round(session, base, bearer, ids, WARM_UP_CALLS)
        client_round(cb, ids, WARM_UP_CALLS)
        rounds = []
        for pair in range(PAIRS):
            # Alternate which goes first, so that drift hurts both alike.
            if pair % 2:
                client = client_round(cb, ids, CALLS_PER_ROUND)
                plain = plain_round(session, base, bearer, ids, CALLS_PER_ROUND)
            else:
                plain = plain_round(session, base, bearer, ids, CALLS_PER_ROUND)
                client = client_round(cb, ids, CALLS_PER_ROUND)
            rounds.append({"plain_ms": plain[0] / CALLS_PER_ROUND * 1000, "client_ms": client[0] / CALLS_PER_ROUND * 1000,
                           "plain_cpu_us": plain[1] / CALLS_PER_ROUND * 1e6,
                           "client_cpu_us": client[1] / CALLS_PER_ROUND * 1e6})
    ratios = [r["client_ms"] / r["plain_ms"] for r in rounds]
    ratio = statistics.median(ratios)
    figures = {
        "calls": CALLS_PER_ROUND * PAIRS * 2,
        "plain_ms_per_call": round(statistics.median(r["plain_ms"] for r in rounds), 3),
        "client_ms_per_call": round(statistics.median(r["client_ms"] for r in rounds), 3),
        "ratio": round(ratio, 3), "rounds_ratio": [round(r, 3) for r in ratios],
        "plain_cpu_us_per_call": round(statistics.median(r["plain_cpu_us"] for r in rounds)),
        "client_cpu_us_per_call": round(statistics.median(r["client_cpu_us"] for r in rounds)),
        # The calling process's CPU per call: what the client itself adds,
        # steadier than wall time on a shared machine.
        "cpu_ratio": round(statistics.median(r["client_cpu_us"] / r["plain_cpu_us"] for r in rounds), 3),
        "target": "ratio < 1.10", "met": ratio < 1.10, "load_average": load_average(),
    }
    report("client_overhead", figures, started)


if __name__ == "__main__":
    main()
