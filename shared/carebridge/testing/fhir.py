"""Checks every test of a FHIR answer makes: the resource (and, in a
Bundle, every resource inside it) validates against the FHIR R4B models of
`fhir.resources` (a test dependency; R4B is R4-compatible for the resources
CareBridge serves)."""
from __future__ import annotations

FHIR_JSON = "application/fhir+json"


# The models check structure and types, not the codes of required bindings:
# these are checked here, for the elements of the types CareBridge serves
# (each value set as the FHIR R4 specification gives it).
REQUEST_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
REQUIRED_CODES = {
    ("CarePlan", "status"): REQUEST_STATUS,
    ("CarePlan", "intent"): {"proposal", "plan", "order", "option"},
    ("Goal", "lifecycleStatus"): {"proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled",
                                  "entered-in-error", "rejected"},
    ("MedicationRequest", "status"): {"active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped",
                                      "draft", "unknown"},
    ("MedicationRequest", "intent"): {"proposal", "plan", "order", "original-order", "reflex-order", "filler-order",
                                      "instance-order", "option"},
    ("Task", "status"): {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
                         "in-progress", "on-hold", "failed", "completed", "entered-in-error"},
    ("Task", "intent"): {"unknown", "proposal", "plan", "order", "original-order", "reflex-order", "filler-order",
                         "instance-order", "option"},
    ("Task", "priority"): {"routine", "urgent", "asap", "stat"},
    ("DetectedIssue", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                                  "entered-in-error", "unknown"},
    ("DetectedIssue", "severity"): {"high", "moderate", "low"},
    ("Appointment", "status"): {"proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
                                "entered-in-error", "checked-in", "waitlist"},
    ("Slot", "status"): {"busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error"},
    ("CareTeam", "status"): {"proposed", "active", "suspended", "inactive", "entered-in-error"},
    ("Consent", "status"): {"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"},
    ("AllergyIntolerance", "criticality"): {"low", "high", "unable-to-assess"},
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
    ("Coverage", "status"): {"active", "cancelled", "draft", "entered-in-error"},
    ("Claim", "status"): {"active", "cancelled", "draft", "entered-in-error"},
    ("Claim", "use"): {"claim", "preauthorization", "predetermination"},
    ("ClaimResponse", "status"): {"active", "cancelled", "draft", "entered-in-error"},
    ("ClaimResponse", "use"): {"claim", "preauthorization", "predetermination"},
    ("ClaimResponse", "outcome"): {"queued", "complete", "error", "partial"},
    ("Communication", "status"): {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed",
                                  "entered-in-error", "unknown"},
    ("Communication", "priority"): {"routine", "urgent", "asap", "stat"},
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                                "entered-in-error", "unknown"},
    ("Flag", "status"): {"active", "inactive", "entered-in-error"},
    ("Bundle", "type"): {"document", "message", "transaction", "transaction-response", "batch", "batch-response",
                         "history", "searchset", "collection"},
}


def validate_fhir(resource: dict):
    """The validated model of `resource` (raises pydantic's ValidationError
    naming every invalid element, AssertionError for a code outside its
    required value set)."""
    from fhir.resources.R4B import get_fhir_model_class
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    for (resource_type, element), allowed in REQUIRED_CODES.items():
        if resource["resourceType"] == resource_type and element in resource:
            assert resource[element] in allowed, f"{resource_type}.{element} = {resource[element]!r}"
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


FORBIDDEN_DETAIL = "You do not have access to this resource."


def fhir_patient_scoped_operations(spec: dict) -> list[tuple[str, str, dict]]:
    """(path, the patient search parameter or None, operation) of every
    patient-scoped FHIR operation of a service's OpenAPI document."""
    found = []
    for path, operations in spec["paths"].items():
        operation = operations.get("get")
        if not path.startswith("/fhir/") or not (operation or {}).get("x-patient-scoped"):
            continue
        required = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p.get("required")]
        found.append((path, required[0] if required else None, operation))
    return sorted(found, key=lambda item: item[0])


def fhir_request(path: str, patient_param: str | None, patient_id: str, ids: dict[str, str]) -> str:
    """The URL of one FHIR operation for the patient: `ids` maps a resource
    type to the id of one of the patient's resources of that type."""
    resource_type = path.split("/")[3]
    url = path.replace("{resource_id}", str(ids.get(resource_type, ""))).replace("{version_id}", "1")
    if patient_param:
        url += f"?{patient_param}=Patient/{patient_id}"
    return url


def assert_outcome(response, status: int, diagnostics: str | None = None) -> dict:
    """The response is an OperationOutcome with `status` (and these diagnostics)."""
    body = fhir_json(response, status)
    assert body["resourceType"] == "OperationOutcome", body
    if diagnostics is not None:
        assert body["issue"][0]["diagnostics"] == diagnostics, body
    return body


def check_fhir_access(client, runtime, spec: dict, *, patient_id: str, ids: dict[str, str], insider: dict,
                      outsider: dict, subtests=None) -> list[str]:
    """Every patient-scoped FHIR operation of the service, for one patient:
    no token 401, a nurse off the care team 403 (an OperationOutcome that
    says nothing; audited as denied), `insider` 200 with exactly one success
    audit record about the patient. Returns the URLs it called."""
    from .helpers import audit_trail
    urls = []
    for path, patient_param, _ in fhir_patient_scoped_operations(spec):
        url = fhir_request(path, patient_param, patient_id, ids)
        urls.append(url)
        assert_outcome(client.get(url), 401)
        before = len(audit_trail(runtime))
        body = assert_outcome(client.get(url, headers=outsider), 403, FORBIDDEN_DETAIL)
        assert patient_id not in str(body)
        refused = audit_trail(runtime)[before:]
        assert [(r["outcome"], str(r["patient_id"])) for r in refused] == [("denied", str(patient_id))], (url, refused)
        before = len(audit_trail(runtime))
        fhir_json(client.get(url, headers=insider), 200)
        records = audit_trail(runtime)[before:]
        assert [(r["outcome"], str(r["patient_id"]), r["action"]) for r in records] == [
            ("success", str(patient_id), "search" if patient_param else "read")], (url, records)
    return urls
