"""The committed client is what the generator writes from the installed
services' OpenAPI documents: change an operation, regenerate
(`.venv/bin/python clients/python/generate.py`) and commit."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_client_is_up_to_date_with_the_documents():
    pytest.importorskip("carebridge.compat.describe", reason="the kit and the services are not installed here")
    from carebridge.compat.describe import describe_openapi
    generate = load_generator()
    described = describe_openapi()
    assert not described["errors"]
    differences = generate.differences(generate.render(described["documents"], generate.development_ports()))
    assert not differences, (f"the committed client is out of date ({differences}); run "
                             "`.venv/bin/python clients/python/generate.py` and commit")


def test_every_operation_is_a_method():
    pytest.importorskip("carebridge.compat.describe", reason="the kit and the services are not installed here")
    from carebridge.compat.describe import describe_openapi

    from carebridge_client import CareBridge, StaticToken
    cb = CareBridge({}, StaticToken("x"))
    for service, document in describe_openapi()["documents"].items():
        ids = {op["operationId"] for item in document["paths"].values() for op in item.values()
               if isinstance(op, dict) and "operationId" in op}
        namespace = getattr(cb, service)
        documented = {line.split("(")[1].split(")")[0] for name in dir(namespace) if not name.startswith("_")
                      for line in (getattr(namespace, name).__doc__ or "").splitlines() if "``" in line and "(" in line}
        assert ids == documented, service


def test_method_names_drop_the_service_noun_only_when_that_stays_unique():
    generate = load_generator()
    assert generate.method_names("careplans", ["reviseCarePlan", "listCarePlans", "listCareplansAuditEvents",
                                               "createTask"]) == {
        "reviseCarePlan": "revise", "listCarePlans": "list", "listCareplansAuditEvents": "list_audit_events",
        "createTask": "create_task"}
    # "searchPatients" and "search" would both be `search`: each keeps its full name.
    assert generate.method_names("patients", ["searchPatients", "search", "registerPatient"]) == {
        "searchPatients": "search_patients", "search": "search", "registerPatient": "register"}
    assert generate.method_names("notifications", ["listPatientNotifications"]) == {
        "listPatientNotifications": "list_patient_notifications"}
