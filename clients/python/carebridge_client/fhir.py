"""`cb.fhir`: every service's FHIR R4 interface (`/fhir/R4`) through this
client, and a patient's whole record gathered from all of them.

    bundle = cb.fhir.export_patient(patient_id)          # a collection Bundle (dict)
    record = cb.fhir.export_record(patient_id)           # the Bundle, counts, unresolved references
    report = cb.fhir.export_ndjson(ids, "out/")          # bulk: one NDJSON file per resource type

The export: each service's CapabilityStatement says which types it serves
and which of them it searches by patient; every such search is run for the
patient (through every page). Then every reference inside what was gathered
(`Practitioner/..` on a care team, `Location/..` on a visit) that names a
type some service serves and is not in the Bundle yet is read from that
service, until nothing is missing: every reference the Bundle holds
resolves inside it (entries' fullUrls share one base, so `Type/id` resolves
against any of them). References that cannot be resolved (a type no
service serves, a record that is gone or not the caller's to read) are
reported in `Export.unresolved`. `carebridge fhir export` is this code.
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import requests

from .errors import CareBridgeError

FHIR_BASE = "/fhir/R4"
FHIR_JSON = "application/fhir+json"
# The Bundle's order: the patient first, then their people, then the rest.
ORDER = ("Patient", "RelatedPerson", "Consent", "CareTeam", "Practitioner", "PractitionerRole",
         "AllergyIntolerance", "CarePlan", "Goal", "MedicationRequest", "DetectedIssue", "Task", "Appointment",
         "Location", "Schedule", "Coverage", "Claim", "ClaimResponse", "Communication", "Observation", "Flag")
MAX_ROUNDS = 5
RETRIED = (502, 503, 504)


class FhirError(CareBridgeError):
    """A FHIR call answered other than 200: `status` and the OperationOutcome
    (`outcome`, None when the answer was not one); status 0: no answer."""

    def __init__(self, url: str, status: int, outcome: dict | None):
        self.url, self.status, self.outcome = url, status, outcome
        issues = (outcome or {}).get("issue") or [{}]
        super().__init__(f"GET {url}: {status} {issues[0].get('diagnostics', '')}".strip())


def references(value) -> list[str]:
    """Every `reference` string anywhere inside a resource."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                found.append(inner)
            else:
                found += references(inner)
    elif isinstance(value, list):
        for inner in value:
            found += references(inner)
    return found


@dataclass
class Export:
    bundle: dict
    counts: dict[str, int]
    unresolved: list[str] = field(default_factory=list)


@dataclass
class BulkExport:
    """What `export_ndjson` wrote: `files` (type -> path), `resources` (type ->
    lines written), the patients `done` and those that `failed` (id, why)."""
    directory: Path
    files: dict[str, Path] = field(default_factory=dict)
    resources: dict[str, int] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unresolved: int = 0

    def summary(self) -> str:
        written = ", ".join(f"{count} {name}" for name, count in sorted(self.resources.items())) or "nothing"
        return (f"{len(self.done)} patients exported, {len(self.failed)} failed; wrote {written} "
                f"to {self.directory}")


def _instant() -> str:
    return datetime.now(timezone.utc).isoformat()


def collection_bundle(entries: list[tuple[str, dict]]) -> dict:
    """A collection of (fullUrl, resource): a patient's gathered record."""
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": _instant()},
        "type": "collection",
        "timestamp": _instant(),
        **({"entry": [{"fullUrl": url, "resource": resource} for url, resource in entries]} if entries else {}),
    }


class Fhir:
    """The services' FHIR R4 interfaces as one user (`cb.fhir`)."""

    def __init__(self, client):
        self._client = client

    # -- one call ---------------------------------------------------------------

    def base(self, service: str) -> str:
        return self._client.base_url(service) + FHIR_BASE

    def get(self, url: str, params: dict | None = None) -> dict:
        """One FHIR GET (an absolute URL); FhirError unless 200. A connection
        error or a 502-504 is retried as the client's other calls are."""
        client = self._client
        for attempt in range(client.retries + 1):
            headers = {"Authorization": f"Bearer {client.token_provider.token(client)}", "Accept": FHIR_JSON,
                       "X-Request-ID": str(uuid.uuid4())}
            try:
                response = client.session.get(url, params=params, headers=headers, timeout=client.timeout)
            except requests.RequestException as error:
                if attempt == client.retries:
                    raise FhirError(url, 0, {"issue": [{"diagnostics": type(error).__name__}]}) from error
                client._pause(attempt + 1, None)
                continue
            if response.status_code in RETRIED and attempt < client.retries:
                client._pause(attempt + 1, response.headers.get("Retry-After"))
                continue
            if response.status_code != 200:
                try:
                    outcome = response.json()
                except ValueError:
                    outcome = None
                raise FhirError(response.url, response.status_code, outcome)
            return response.json()
        raise AssertionError("unreachable")

    def capabilities(self, service: str) -> dict:
        return self.get(f"{self.base(service)}/metadata")

    def read(self, service: str, resource_type: str, resource_id: str) -> dict:
        return self.get(f"{self.base(service)}/{resource_type}/{resource_id}")

    def search(self, service: str, resource_type: str, params: dict, page_size: int = 100) -> Iterator[dict]:
        """Every matching resource, page after page (the Bundles' `next` links)."""
        bundle = self.get(f"{self.base(service)}/{resource_type}", {**params, "_count": page_size})
        while True:
            for entry in bundle.get("entry", []):
                yield entry["resource"]
            following = next((link["url"] for link in bundle.get("link", []) if link["relation"] == "next"), None)
            if following is None:
                return
            bundle = self.get(following)

    # -- a patient's whole record -------------------------------------------------

    def served(self) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
        """(the service that serves each type, the (service, type, parameter)
        searches that find a patient's resources), from every service's
        CapabilityStatement; a service without a FHIR interface is passed over."""
        owners: dict[str, str] = {}
        by_patient: list[tuple[str, str, str]] = []
        for service in self._client.base_urls:
            try:
                capabilities = self.capabilities(service)
            except FhirError as error:
                if error.status != 404:
                    raise
                continue
            for resource in capabilities["rest"][0].get("resource", []):
                owners.setdefault(resource["type"], service)
                names = {param["name"] for param in resource.get("searchParam", [])}
                if resource["type"] == "Patient" and "_id" in names:
                    by_patient.append((service, "Patient", "_id"))
                elif "patient" in names:
                    by_patient.append((service, resource["type"], "patient"))
        return owners, by_patient

    def export_record(self, patient_id: str, *, served=None) -> Export:
        """The patient's whole record: the Bundle, the count of each type and
        the references left unresolved. `served`: `self.served()` already
        asked (a bulk export asks once)."""
        owners, by_patient = served or self.served()
        gathered: dict[str, dict] = {}
        for service, resource_type, param in by_patient:
            for resource in self.search(service, resource_type, {param: f"Patient/{patient_id}"}):
                gathered[f"{resource['resourceType']}/{resource['id']}"] = resource
        unresolved: set[str] = set()
        for _ in range(MAX_ROUNDS):
            missing = {ref for resource in gathered.values() for ref in references(resource)
                       if ref not in gathered and ref not in unresolved}
            if not missing:
                break
            for ref in sorted(missing):
                resource_type, _, resource_id = ref.partition("/")
                if resource_type not in owners or not resource_id or "/" in resource_id:
                    unresolved.add(ref)
                    continue
                try:
                    gathered[ref] = self.read(owners[resource_type], resource_type, resource_id)
                except FhirError as error:
                    if error.status not in (403, 404):
                        raise
                    unresolved.add(ref)
        rank = {name: index for index, name in enumerate(ORDER)}
        entries = sorted(gathered.items(), key=lambda item: (rank.get(item[1]["resourceType"], len(ORDER)), item[0]))
        base = self.base("patients") if "patients" in self._client.base_urls else FHIR_BASE
        counts: dict[str, int] = {}
        for _, resource in entries:
            counts[resource["resourceType"]] = counts.get(resource["resourceType"], 0) + 1
        return Export(collection_bundle([(f"{base}/{ref}", resource) for ref, resource in entries]), counts,
                      sorted(unresolved))

    def export_patient(self, patient_id: str) -> dict:
        """The patient's whole record as one FHIR R4 collection Bundle."""
        return self.export_record(patient_id).bundle

    def export_ndjson(self, patient_ids: Iterable[str], directory: str | os.PathLike, *,
                      progress: Callable[[str, str | None], None] | None = None) -> BulkExport:
        """Many patients' records as NDJSON (FHIR bulk data): one file per
        resource type (`Patient.ndjson`, `CarePlan.ndjson`, ...), one
        resource per line, each resource once however many patients share it
        (by type and id). A patient whose export fails is reported in
        `failed` with why, and the others go on; `progress(patient_id,
        error or None)` is called after each patient."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        report = BulkExport(out)
        seen: set[str] = set()
        handles = {}
        served = None
        try:
            for patient_id in patient_ids:
                try:
                    served = served or self.served()
                    record = self.export_record(patient_id, served=served)
                except (CareBridgeError, ValueError, KeyError) as error:
                    report.failed.append((patient_id, str(error)))
                    if progress:
                        progress(patient_id, str(error))
                    continue
                for entry in record.bundle.get("entry", []):
                    resource = entry["resource"]
                    key = f"{resource['resourceType']}/{resource['id']}"
                    if key in seen:
                        continue
                    seen.add(key)
                    name = resource["resourceType"]
                    if name not in handles:
                        report.files[name] = out / f"{name}.ndjson"
                        handles[name] = report.files[name].open("w", encoding="utf-8")
                    handles[name].write(json.dumps(resource, separators=(",", ":")) + "\n")
                    report.resources[name] = report.resources.get(name, 0) + 1
                report.unresolved += len(record.unresolved)
                report.done.append(patient_id)
                if progress:
                    progress(patient_id, None)
        finally:
            for handle in handles.values():
                handle.close()
        return report
