"""The CapabilityStatement a service serves at `/fhir/R4/metadata`: what it
answers, resource by resource, built from the same declarations that make
its endpoints (so it cannot claim what the service does not do)."""
from __future__ import annotations

from .. import clock
from .elements import FHIR_JSON, instant


def capability_statement(*, service: str, title: str, version: str, base_url: str, resources) -> dict:
    described = []
    for resource in resources:
        interactions = [{"code": "read"}] if resource.readable else []
        if resource.vread:
            interactions.append({"code": "vread"})
        interactions.append({"code": "search-type"})
        entry = {
            "type": resource.type,
            "interaction": interactions,
            "versioning": "versioned" if resource.vread else "no-version",
            "readHistory": bool(resource.vread),
            "searchParam": [{"name": p.name, "type": p.type, "documentation": p.description}
                            for p in resource.all_search_params()],
        }
        if resource.profile:
            entry["supportedProfile"] = [resource.profile]
        described.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "id": f"carebridge-{service}",
        "status": "active",
        "date": instant(clock.now()),
        "publisher": "CareBridge",
        "kind": "instance",
        "software": {"name": f"CareBridge {service}", "version": version},
        "implementation": {"description": title, "url": base_url},
        "fhirVersion": "4.0.1",
        "format": [FHIR_JSON, "json"],
        "rest": [{
            "mode": "server",
            "documentation": "Read and search what this service keeps. Bearer tokens (JWT) as for the rest of the "
                             "API; care-team access rules and audit apply.",
            "security": {"service": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/restful-security-service", "code": "OAuth"}]}],
                "description": "Authorization: Bearer <token>"},
            "resource": described,
        }],
    }
