"""The OpenAPI document tells clients and the whole-stack security tests
what each endpoint needs."""

from carebridge.web import KIT_PATHS


def test_patient_scoped_operations_are_marked(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    scoped = {(path, method) for path, operations in paths.items() for method, operation in operations.items()
              if isinstance(operation, dict) and operation.get("x-patient-scoped")}
    assert ("/care-plans/{plan_id}", "patch") in scoped and ("/tasks/{task_id}/owner", "put") in scoped
    assert ("/care-plans", "post") in scoped and ("/adherence/doses", "post") in scoped
    assert ("/plan-templates", "get") not in scoped and ("/interactions", "get") not in scoped


def test_updates_document_if_match_and_retried_posts_an_idempotency_key(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path, method in (("/care-plans/{plan_id}", "patch"), ("/care-plans/{plan_id}/status", "put"),
                         ("/tasks/{task_id}", "patch"), ("/tasks/{task_id}/owner", "put")):
        operation = paths[path][method]
        assert any(p["name"] == "If-Match" for p in operation["parameters"]), path
        assert {"412", "428"} <= operation["responses"].keys()
    for path in ("/care-plans", "/care-plans/from-template", "/tasks", "/adherence/doses", "/check-ins"):
        assert any(p["name"] == "Idempotency-Key" for p in paths[path]["post"]["parameters"]), path


def test_only_this_services_path_prefixes_are_used(client):
    prefixes = {"care-plans", "plan-templates", "tasks", "check-ins", "hospital-stays", "adherence", "medication-alerts",
                "interactions", "fhir", *(path.strip("/").split("/")[0] for path in KIT_PATHS)}
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {path.split("/")[1] for path in paths} <= prefixes
