"""The OpenAPI document describes every endpoint, request, response and error."""
import pytest

from carebridge.web import KIT_PATHS
from carebridge.web.api import PUBLIC_PATHS

PREFIXES = ("/patients", "/practitioners", "/care-teams", "/fhir/R4/")


@pytest.fixture
def spec(client):
    return client.get("/openapi.json").get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters" and path not in PUBLIC_PATHS:
                yield path, method, operation


def test_paths_stay_within_the_prefixes_this_service_owns(spec):
    for path in spec["paths"]:
        assert path in KIT_PATHS or path.startswith(PREFIXES), path


def test_every_operation_is_summarised_and_answers_a_described_schema(spec, subtests):
    for path, method, operation in operations(spec):
        with subtests.test(operation=f"{method.upper()} {path}"):
            assert operation["summary"] and operation["tags"]
            [success] = [code for code in operation["responses"] if code.startswith("2")]
            media = "application/fhir+json" if path.startswith("/fhir/") else "application/json"
            assert "$ref" in str(operation["responses"][success]["content"][media]["schema"])
            for code in ("401", "403", "500"):
                assert code in operation["responses"]
            if method in ("post", "put", "patch") and not path.endswith("/consent-withdrawal"):
                body = operation["requestBody"]["content"]["application/json"]["schema"]
                assert body["$ref"].startswith("#/components/schemas/")
                assert {"400", "422"} <= set(operation["responses"])


def test_errors_are_documented_as_problem_json(spec):
    for name in ("UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "PRECONDITION_FAILED",
                 "PRECONDITION_REQUIRED", "UNPROCESSABLE_ENTITY"):
        schema = spec["components"]["responses"][name]["content"]["application/problem+json"]["schema"]
        assert schema["$ref"] == "#/components/schemas/Problem"


def test_updates_document_if_match_and_creates_the_idempotency_key(spec, subtests):
    for path, method, operation in operations(spec):
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        with subtests.test(operation=f"{method.upper()} {path}"):
            if method in ("put", "patch"):
                assert "If-Match" in headers and {"412", "428"} <= set(operation["responses"])
            elif method == "post" and not path.endswith("/consent-withdrawal"):
                assert "Idempotency-Key" in headers


def test_patient_data_operations_are_marked_for_the_security_tests(spec):
    unmarked = {(method, path) for path, method, operation in operations(spec)
                if not operation.get("x-patient-scoped") and path not in KIT_PATHS}
    assert unmarked == {("get", "/patients"), ("get", "/care-teams"), ("get", "/practitioners"),
                        ("post", "/practitioners"), ("get", "/practitioners/me"),
                        ("get", "/practitioners/{practitioner_id}"), ("patch", "/practitioners/{practitioner_id}"),
                        ("get", "/fhir/R4/metadata"), ("get", "/fhir/R4/Practitioner"),
                        ("get", "/fhir/R4/Practitioner/{resource_id}"), ("get", "/fhir/R4/PractitionerRole"),
                        ("get", "/fhir/R4/PractitionerRole/{resource_id}"),
                        ("get", "/practitioners/training-checklists"),
                        ("get", "/practitioners/{practitioner_id}/training"),
                        ("post", "/practitioners/{practitioner_id}/training"),
                        ("patch", "/practitioners/{practitioner_id}/training")}


def test_search_parameters_are_described(spec):
    names = {p["name"] for p in spec["paths"]["/patients"]["get"]["parameters"]}
    assert {"q", "birth_date", "mrn", "care_team_member", "status", "page", "page_size"} <= names
    lookup = {p["name"] for p in spec["paths"]["/practitioners"]["get"]["parameters"]}
    assert {"q", "role", "specialty", "active"} <= lookup
