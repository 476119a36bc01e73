"""Small FHIR data types as plain dicts: references, codings, instants,
money, meta. Empty values are left out (FHIR forbids empty elements)."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

FHIR_BASE = "/fhir/R4"
FHIR_JSON = "application/fhir+json"

# The code systems CareBridge's data uses, by the name the services store.
SYSTEMS = {
    "rxnorm": "http://www.nlm.nih.gov/research/umls/rxnorm",
    "snomed": "http://snomed.info/sct",
    "snomed-ct": "http://snomed.info/sct",
    "loinc": "http://loinc.org",
    "icd-10-cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "icd-10": "http://hl7.org/fhir/sid/icd-10",
    "cpt": "http://www.ama-assn.org/go/cpt",
    "hcpcs": "urn:oid:2.16.840.1.113883.6.285",
    "ucum": "http://unitsofmeasure.org",
    "carc": "https://x12.org/codes/claim-adjustment-reason-codes",
    "npi": "http://hl7.org/fhir/sid/us-npi",
    "bcp47": "urn:ietf:bcp:47",
    "unii": "http://fdasis.nlm.nih.gov",
}
# CareBridge's own codes (no standard system has them): one URI per kind.
LOCAL_SYSTEM = "urn:carebridge:codes:"


def fhir_id(value) -> str | None:
    return None if value is None else str(value)


def reference(resource_type: str, value, display: str | None = None) -> dict | None:
    """`{"reference": "CarePlan/<id>"}` (None for no id)."""
    if value is None:
        return None
    found = {"reference": f"{resource_type}/{value}"}
    if display:
        found["display"] = display
    return found


def reference_id(text: str | None, resource_type: str) -> str | None:
    """The id in a search parameter that names a resource: `Patient/<id>`,
    a full URL ending so, or the bare id. None when it names another type."""
    if not text:
        return None
    parts = text.rstrip("/").split("/")
    if len(parts) == 1:
        return parts[0]
    if parts[-2] == resource_type:
        return parts[-1]
    return None


def instant(value: datetime | None) -> str | None:
    """An aware datetime as FHIR's instant/dateTime (always with a zone)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def fhir_date(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def period(start=None, end=None) -> dict | None:
    def text(value):
        if isinstance(value, datetime):
            return instant(value)
        return fhir_date(value)
    found = {k: v for k, v in (("start", text(start)), ("end", text(end))) if v}
    return found or None


def coding(system: str | None, code: str | None, display: str | None = None) -> dict | None:
    """A Coding; `system` is a URI or a name from SYSTEMS; a name SYSTEMS
    does not know becomes CareBridge's own system for that kind of code."""
    if code is None:
        return None
    found = {"code": str(code)}
    if system:
        found["system"] = SYSTEMS.get(system, system if ":" in system else LOCAL_SYSTEM + system)
    if display:
        found["display"] = display
    return found


def codeable(*codings: dict | None, text: str | None = None) -> dict | None:
    found = {}
    kept = [c for c in codings if c]
    if kept:
        found["coding"] = kept
    if text:
        found["text"] = text
    return found or None


def money(amount: Decimal | str | None, currency: str | None = "USD") -> dict | None:
    if amount is None:
        return None
    return {"value": float(Decimal(str(amount))), "currency": currency or "USD"}


def meta(version: int | None = None, last_updated: datetime | None = None, profile: str | None = None) -> dict | None:
    found = {}
    if version is not None:
        found["versionId"] = str(version)
    if last_updated is not None:
        found["lastUpdated"] = instant(last_updated)
    if profile:
        found["profile"] = [profile]
    return found or None


def compact(resource: dict) -> dict:
    """Drops keys whose value is None or empty, recursively (FHIR has no
    nulls and no empty arrays or objects)."""
    def clean(value):
        if isinstance(value, dict):
            kept = {k: clean(v) for k, v in value.items()}
            return {k: v for k, v in kept.items() if v not in (None, [], {}, "")}
        if isinstance(value, list):
            kept = [clean(v) for v in value]
            return [v for v in kept if v not in (None, [], {}, "")]
        if isinstance(value, uuid.UUID):
            return str(value)
        return value
    return clean(resource)
