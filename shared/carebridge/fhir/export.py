"""A patient's whole record as one FHIR `collection` Bundle, gathered from
every service's `/fhir/R4` (`carebridge fhir export PATIENT_ID`).

Each service's CapabilityStatement says which types it serves and which of
them it searches by patient; every such search is run for the patient
(through every page). Then every reference inside what was gathered
(`Practitioner/..` on a care team, `Location/..` on a visit) that names a
type some service serves and is not in the Bundle yet is read from that
service, until nothing is missing: every reference the Bundle holds
resolves inside it (entries' fullUrls share one base, so `Type/id` resolves
against any of them). References that cannot be resolved (a type no
service serves, a record that is gone or not the caller's to read) are
reported in `Export.unresolved`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .bundle import collection_bundle
from .transport import FhirHttp, FhirHttpError

# The Bundle's order: the patient first, then their people, then the rest.
ORDER = ("Patient", "RelatedPerson", "Consent", "CareTeam", "Practitioner", "PractitionerRole",
         "AllergyIntolerance", "CarePlan", "Goal", "MedicationRequest", "DetectedIssue", "Task", "Appointment",
         "Location", "Schedule", "Coverage", "Claim", "ClaimResponse", "Communication", "Observation", "Flag")
MAX_ROUNDS = 5


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


def export_patient(http: FhirHttp, patient_id: str, *, base_url: str) -> Export:
    owners: dict[str, str] = {}
    by_patient: list[tuple[str, str, str]] = []
    for service in http.bases:
        try:
            capabilities = http.capabilities(service)
        except FhirHttpError as error:
            if error.status != 404:
                raise
            continue  # a service with no FHIR interface (yet): monitoring
        for resource in capabilities["rest"][0].get("resource", []):
            owners.setdefault(resource["type"], service)
            names = {param["name"] for param in resource.get("searchParam", [])}
            if resource["type"] == "Patient" and "_id" in names:
                by_patient.append((service, "Patient", "_id"))
            elif "patient" in names:
                by_patient.append((service, resource["type"], "patient"))
    gathered: dict[str, dict] = {}
    for service, resource_type, param in by_patient:
        for resource in http.search(service, resource_type, {param: f"Patient/{patient_id}"}):
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
                gathered[ref] = http.read(owners[resource_type], resource_type, resource_id)
            except FhirHttpError as error:
                if error.status not in (403, 404):
                    raise
                unresolved.add(ref)
    rank = {name: index for index, name in enumerate(ORDER)}
    entries = sorted(gathered.items(), key=lambda item: (rank.get(item[1]["resourceType"], len(ORDER)), item[0]))
    base = base_url.rstrip("/")
    counts: dict[str, int] = {}
    for _, resource in entries:
        counts[resource["resourceType"]] = counts.get(resource["resourceType"], 0) + 1
    return Export(collection_bundle([(f"{base}/{ref}", resource) for ref, resource in entries]), counts,
                  sorted(unresolved))
