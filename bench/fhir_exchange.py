"""11. FHIR exchange through the Python client (`cb.fhir`, `carebridge fhir
export` / `import`) on the real-mode stack (every service under gunicorn,
their workers, PostgreSQL, RabbitMQ).

Export: one patient's whole record with two years of history gathered
from every service into one collection Bundle (`cb.fhir.export_patient`),
timed over several runs (median). The history: the patient imported from a
Synthea-shaped Bundle (patient, practitioner, allergies, a care plan of
three medications and two conditions, coverage), enrolled in remote
monitoring for four measures, then two years of readings, twice a day for
each measure (5,840 readings, the alerts the rules open on them), sent as
a device gateway's batches of 1,000 through the monitoring API (the API is
fast enough for that; no table is bulk-loaded). Appointments and claims are
not part of this history.

Import: 100 Synthea-shaped patient Bundles generated here (each its own
MRN, practitioner NPI and member id; encounters, observations, four
medications, two allergies, a coverage), imported with
`carebridge_client.fhir_import.import_bundle` by 4 clients at once: total
wall time, time per patient (wall / 100) and each Bundle's own import time
(p50/p95). Then the same 100 patients exported as NDJSON
(`cb.fhir.export_ndjson`): total and per patient.
"""
from __future__ import annotations

import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from tempfile import TemporaryDirectory

from common import ROOT, report
from harness import BenchStack, load_average, token

sys.path.insert(0, str(ROOT / "clients" / "python" / "tests"))
from synthea_bundle import synthea_bundle  # noqa: E402  (the client tests' Synthea-shaped generator)

from carebridge_client import CareBridge, StaticToken  # noqa: E402
from carebridge_client._generated.monitoring import Device  # noqa: E402
from carebridge_client.fhir_import import import_bundle  # noqa: E402

SERVICES = ["patients", "careplans", "scheduling", "billing", "notifications", "monitoring"]
HISTORY_DAYS = 730
READINGS_A_DAY = 2           # per measure
EXPORT_RUNS = 5
BUNDLES = 100
IMPORT_CLIENTS = 4
BATCH = 1000


def client(stack: BenchStack, role: str = "coordinator") -> CareBridge:
    return CareBridge({service: stack.url(service) for service in SERVICES}, StaticToken(token(role, uuid.uuid4())),
                      timeout=120)


def eventually(attempt, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return attempt()
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def two_years_of_readings(serial: str, now: datetime) -> list[dict]:
    readings = []
    for day in range(HISTORY_DAYS, 0, -1):
        for slot in range(READINGS_A_DAY):
            taken = (now - timedelta(days=day) + timedelta(hours=8 + 10 * slot)).isoformat()
            wobble = (day * 7 + slot) % 11
            readings += [
                {"device_serial": serial, "measure": "weight", "value": 78 + wobble / 10, "unit": "kg",
                 "taken_at": taken},
                {"device_serial": serial, "measure": "blood-pressure", "value": 124 + wobble * 4,
                 "diastolic": 78 + wobble, "unit": "mm[Hg]", "taken_at": taken},
                {"device_serial": serial, "measure": "heart-rate", "value": 64 + wobble, "unit": "/min",
                 "taken_at": taken},
                {"device_serial": serial, "measure": "spo2", "value": 93 + wobble % 6, "unit": "%",
                 "taken_at": taken},
            ]
    return readings


def build_history(stack: BenchStack, cb: CareBridge) -> tuple[str, int, float]:
    started = time.perf_counter()
    imported = import_bundle(cb, synthea_bundle(uuid.uuid4().hex[:8]), wait=120)
    assert imported.errors == [], [str(line) for line in imported.errors]
    patient_id = imported.patient_id
    serial = f"BENCH-{uuid.uuid4().hex[:10]}"
    now = datetime.now(timezone.utc).replace(microsecond=0)
    eventually(lambda: cb.monitoring.enrol_in_monitoring(
        patient_id=patient_id, condition="hypertension", measures=["weight", "blood-pressure", "heart-rate", "spo2"],
        device=Device(kind="gateway-hub", serial=serial), consent_date=date.today() - timedelta(days=HISTORY_DAYS + 1)))
    gateway = stack.api("monitoring", "device-gateway", "gateway-bench")
    readings = two_years_of_readings(serial, now)
    stored = 0
    for start in range(0, len(readings), BATCH):
        result = gateway.post("/readings/batches", json={"readings": readings[start:start + BATCH]}, timeout=300)
        assert result["refused"] == 0, result["results"][:3]
        stored += result["stored"]
    return patient_id, stored, time.perf_counter() - started


def main() -> None:
    started = time.monotonic()
    load_before = load_average()
    with BenchStack("fhir_exchange", SERVICES) as stack:
        cb = client(stack)
        patient_id, stored, building = build_history(stack, cb)

        timings, bundle = [], None
        for _ in range(EXPORT_RUNS):
            at = time.perf_counter()
            bundle = cb.fhir.export_patient(patient_id)
            timings.append(time.perf_counter() - at)
        counts: dict[str, int] = {}
        for entry in bundle["entry"]:
            counts[entry["resource"]["resourceType"]] = counts.get(entry["resource"]["resourceType"], 0) + 1
        assert counts.get("Observation") == stored, counts

        documents = [synthea_bundle(uuid.uuid4().hex[:8]) for _ in range(BUNDLES)]
        clients = [client(stack) for _ in range(IMPORT_CLIENTS)]

        def one(index: int) -> tuple[float, str, int]:
            at = time.perf_counter()
            result = import_bundle(clients[index % IMPORT_CLIENTS], documents[index], wait=120)
            return time.perf_counter() - at, result.patient_id, len(result.errors)

        at = time.perf_counter()
        with ThreadPoolExecutor(IMPORT_CLIENTS) as pool:
            imports = list(pool.map(one, range(BUNDLES)))
        importing = time.perf_counter() - at
        refused = sum(errors for _, _, errors in imports)
        each = sorted(seconds for seconds, _, _ in imports)

        with TemporaryDirectory() as out:
            at = time.perf_counter()
            bulk = cb.fhir.export_ndjson([patient for _, patient, _ in imports], out)
            bulk_seconds = time.perf_counter() - at
            lines = sum(len(path.read_text().splitlines()) for path in Path(out).glob("*.ndjson"))

    report("fhir_exchange", {
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "export_one_patient": {
            "history": f"{HISTORY_DAYS} days: {stored} readings (4 measures, {READINGS_A_DAY} a day each) "
                       f"through the API, plus the imported Synthea record",
            "history_build_seconds": round(building, 1),
            "resources": sum(counts.values()), "by_type": counts,
            "runs": EXPORT_RUNS, "seconds_median": round(statistics.median(timings), 3),
            "seconds_min": round(min(timings), 3), "seconds_max": round(max(timings), 3),
        },
        "import_bundles": {
            "bundles": BUNDLES, "clients": IMPORT_CLIENTS, "entries_per_bundle": len(documents[0]["entry"]),
            "total_seconds": round(importing, 1), "seconds_per_patient": round(importing / BUNDLES, 3),
            "bundle_seconds_p50": round(each[len(each) // 2], 3),
            "bundle_seconds_p95": round(each[int(len(each) * 0.95) - 1], 3),
            "refused": refused,
        },
        "export_ndjson": {
            "patients": len(bulk.done), "failed": len(bulk.failed), "resources": lines,
            "total_seconds": round(bulk_seconds, 1), "seconds_per_patient": round(bulk_seconds / BUNDLES, 3),
        },
    }, started)


if __name__ == "__main__":
    main()
