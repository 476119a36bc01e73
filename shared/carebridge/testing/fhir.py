"""Checks every test of a FHIR answer makes: the resource (and, in a
Bundle, every resource inside it) validates against the FHIR R4B models of
`fhir.resources` (a test dependency; R4B is R4-compatible for the resources
CareBridge serves)."""
from __future__ import annotations

FHIR_JSON = "application/fhir+json"


def validate_fhir(resource: dict):
    """The validated model of `resource` (raises pydantic's ValidationError
    naming every invalid element)."""
    from fhir.resources.R4B import get_fhir_model_class
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    for entry in resource.get("entry", []) if resource["resourceType"] == "Bundle" else []:
        if "resource" in entry:
            validate_fhir(entry["resource"])
    return model


def fhir_json(response, status: int = 200) -> dict:
    """The FHIR body of a Flask test response (or of `requests`'), after
    checking its status and content type, validated."""
    text = response.get_data(as_text=True) if hasattr(response, "get_data") else response.text
    status_code = response.status_code
    assert status_code == status, (status_code, text[:800])
    assert response.headers["Content-Type"].startswith(FHIR_JSON), response.headers["Content-Type"]
    body = response.get_json() if hasattr(response, "get_json") else response.json()
    validate_fhir(body)
    return body


def bundle_resources(bundle: dict, resource_type: str | None = None) -> list[dict]:
    return [entry["resource"] for entry in bundle.get("entry", [])
            if resource_type is None or entry["resource"]["resourceType"] == resource_type]


__all__ = ["validate_fhir", "fhir_json", "bundle_resources", "FHIR_JSON"]
