"""Security of every patient-scoped endpoint of every service, found from the
services' own OpenAPI documents (`x-patient-scoped: true`):

- no token, an expired token, a token for another audience or issuer, an
  `alg: none` token, a tampered signature, tampered claims and a token signed
  with another key all get 401 (problem+json, nothing about the patient), and
  leave no audit record;
- another service's own identity gets 403 (audited as a refusal) unless
  the operation names it in `x-service-callers`, and a `service`-role token
  whose subject is no service gets 401;
- a nurse who is not on the patient's care team gets 403 with the same
  generic answer whatever the patient (it tells nothing, not even whether the
  patient exists), and no access is recorded as a success;
- the right person succeeds, and the access leaves exactly one audit record
  naming them and the patient;
- lists filtered by one patient behave the same way (one `search` record);
- every service's audit chain verifies afterwards (`carebridge audit verify`).
"""
from __future__ import annotations

import base64
import json
import uuid

import jwt
import pytest
import requests

from carebridge.auth import issue_token
from carebridge.config import Settings
from support.observe import audit
from support.stack import SERVICES

from .operations import OPERATIONS, PATIENT_FILTERED_SEARCHES, Call
from .world import build

SETTINGS = Settings.from_env("whole-stack-tests", {})
FORBIDDEN_DETAIL = "You do not have access to this resource."
PROBLEM_KEYS = {"type", "title", "status", "detail", "request_id"}
# No default headers: each request carries exactly the credentials it is given.
HTTP = requests.Session()


@pytest.fixture(scope="module")
def secured(stack):
    return build(stack)


def _b64(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def broken_tokens(subject: str) -> dict[str, str | None]:
    good = issue_token(SETTINGS, ["coordinator"], subject=subject)
    header, payload, signature = good.split(".")
    claims = jwt.decode(good, options={"verify_signature": False})
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    return {
        "no token": None,
        "expired": issue_token(SETTINGS, ["coordinator"], subject=subject, ttl_seconds=-3600),
        "another audience": issue_token(SETTINGS, ["coordinator"], subject=subject, audience="another-api"),
        "another issuer": issue_token(SETTINGS, ["coordinator"], subject=subject, issuer="someone-else"),
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "tampered signature": f"{header}.{payload}.{flipped}",
        "tampered claims": f"{header}.{_b64({**claims, 'roles': ['admin']})}.{signature}",
        "another key": jwt.encode(claims, "not-the-secret-of-this-deployment", algorithm="HS256"),
    }


def request(stack, service: str, method: str, path: str, call: Call, token: str | None, *, etag: str | None = None,
            query: dict | None = None):
    request_id = f"sec-{uuid.uuid4()}"
    headers = {"X-Request-ID": request_id, "Idempotency-Key": str(uuid.uuid4())}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if etag:
        headers["If-Match"] = etag
    kwargs = {"headers": headers, "params": query if query is not None else call.query, "timeout": 30}
    if call.body is not None:
        kwargs["json"] = call.body
    response = HTTP.request(method, stack.url(service) + path, **kwargs)
    return response, request_id


def error_type(path: str) -> str:
    """Errors are problem+json, and FHIR OperationOutcomes under /fhir/."""
    return "application/fhir+json" if path.startswith("/fhir/") else "application/problem+json"


def sensitive_values(secured) -> list[str]:
    record = secured.patient.record
    return [secured.patient.id, record["mrn"], record["family_name"], record["given_name"], record["birth_date"],
            secured.patient.email]


def assert_reveals_nothing(response, secured) -> None:
    text = response.text
    for value in sensitive_values(secured):
        assert value not in text, f"the answer reveals {value!r}"
    assert "ETag" not in response.headers and "Location" not in response.headers


def role_of(secured, who: str) -> str:
    return {"lead": "coordinator", "biller": "billing"}.get(who, secured.staff[who].role)


def token_of(secured, who: str) -> str:
    return issue_token(SETTINGS, [role_of(secured, who)], subject=secured.staff[who].id)


def fill(path: str, secured, call: Call) -> str:
    return path.format(**{**secured.ids, **call.params})


def service_callers(stack, service: str, method: str, path: str) -> list[str]:
    if service not in SPECS:
        SPECS[service] = stack.client(service).get("/openapi.json").json()
    return SPECS[service]["paths"][path][method.lower()].get("x-service-callers", [])


SPECS: dict[str, dict] = {}


def current_etag(stack, service, secured, call: Call) -> str | None:
    if call.etag is None:
        return None
    path = call.etag.format(**{**secured.ids, **call.params})
    response = stack.client(service, "admin").get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return response.headers["ETag"]


def test_every_patient_scoped_operation_is_covered(stack):
    documented = set()
    for service in SERVICES:
        paths = stack.client(service).get("/openapi.json").json()["paths"]
        documented |= {(service, method.upper(), path) for path, operations in paths.items()
                       for method, operation in operations.items()
                       if isinstance(operation, dict) and operation.get("x-patient-scoped")}
    assert documented == set(OPERATIONS), {"not covered": sorted(documented - set(OPERATIONS)),
                                           "no longer documented": sorted(set(OPERATIONS) - documented)}
    searches = set()
    for service in SERVICES:
        paths = stack.client(service).get("/openapi.json").json()["paths"]
        for path, operations in paths.items():
            get = operations.get("get")
            if get and not get.get("x-patient-scoped") and any(
                    p["name"] == "patient_id" and p["in"] == "query" for p in get.get("parameters", [])):
                searches.add((service, path))
    assert searches == set(PATIENT_FILTERED_SEARCHES)


@pytest.mark.parametrize("service,method,path", sorted(OPERATIONS), ids=lambda v: v)
def test_patient_scoped_operation(stack, secured, service, method, path):
    call = OPERATIONS[(service, method, path)](secured)
    url = fill(path, secured, call)
    etag = current_etag(stack, service, secured, call)

    # Broken or missing credentials: 401, nothing else happens.
    for problem, token in broken_tokens(secured.staff[call.caller].id).items():
        response, request_id = request(stack, service, method, url, call, token, etag=etag)
        assert response.status_code == 401, (problem, response.status_code, response.text[:300])
        assert response.headers["Content-Type"].startswith(error_type(path)), problem
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), problem
        assert_reveals_nothing(response, secured)
        assert audit(stack, service, request_id) == [], f"{problem}: a refused token leaves no audit record"

    # Another service, unless the operation names it: 403, audited, saying
    # nothing; a service role with a person's subject is no identity at all.
    allowed = service_callers(stack, service, method, path)
    for caller in (name for name in SERVICES if name != service and name not in allowed):
        refused, request_id = request(stack, service, method, url, call,
                                      issue_token(SETTINGS, ["service"], subject=caller), etag=etag)
        assert refused.status_code == 403, (caller, refused.status_code, refused.text[:300])
        assert_reveals_nothing(refused, secured)
        assert [(r["outcome"], r["actor"]) for r in audit(stack, service, request_id)] == [
            ("denied", f"service:{caller}")]
    staff_subject = issue_token(SETTINGS, ["service"], subject=secured.staff[call.caller].id)
    assert request(stack, service, method, url, call, staff_subject, etag=etag)[0].status_code == 401

    # A nurse who is not on the care team: 403, saying nothing.
    outsider = token_of(secured, "outsider")
    refused, request_id = request(stack, service, method, url, call, outsider, etag=etag)
    assert refused.status_code == 403, (refused.status_code, refused.text[:300])
    body = refused.json()
    assert refused.headers["Content-Type"].startswith(error_type(path))
    if path.startswith("/fhir/"):
        assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["diagnostics"] == FORBIDDEN_DETAIL
    else:
        assert set(body) <= PROBLEM_KEYS and body["detail"] == FORBIDDEN_DETAIL, body
    assert_reveals_nothing(refused, secured)
    records = audit(stack, service, request_id)
    assert [r["outcome"] for r in records] in ([], ["denied"]), records
    if "{patient_id}" in path or (call.query and "patient_id" in call.query):
        # The same answer for a patient who does not exist: nothing learnt.
        other = str(uuid.uuid4())
        probe = Call(**{**call.__dict__, "params": {**call.params, "patient_id": other},
                        "query": {**call.query, "patient_id": other} if call.query else call.query})
        stranger, _ = request(stack, service, method, fill(path, secured, probe), probe, outsider, etag=etag)
        assert stranger.status_code == 403, stranger.text[:300]
        assert {k: v for k, v in stranger.json().items() if k not in ("request_id", "id")} == {
            k: v for k, v in body.items() if k not in ("request_id", "id")}

    # The right person: success, and exactly one audit record of it.
    caller = secured.staff[call.caller]
    response, request_id = request(stack, service, method, url, call, token_of(secured, call.caller), etag=etag)
    assert response.status_code == call.expect, (response.status_code, response.text[:500])
    patient_id = call.patient_of(response) if call.patient_of else secured.patient.id
    records = [r for r in audit(stack, service, request_id) if r["actor"] == caller.id]
    assert len(records) == 1, records
    assert (records[0]["outcome"], records[0]["patient_id"], records[0]["roles"]) == (
        "success", patient_id, role_of(secured, call.caller))
    assert records[0]["action"] in (("read", "search") if method == "GET" else ("create", "update", "delete")), records


@pytest.mark.parametrize("service,path", sorted(PATIENT_FILTERED_SEARCHES), ids=lambda v: v)
def test_list_filtered_by_one_patient(stack, secured, service, path):
    call = Call(caller=PATIENT_FILTERED_SEARCHES[(service, path)], query={"patient_id": secured.patient.id})
    response, request_id = request(stack, service, "GET", path, call, None)
    assert response.status_code == 401
    refused, request_id = request(stack, service, "GET", path, call, token_of(secured, "outsider"))
    # Refused outright, or filtered down to what the nurse may see: nothing.
    if refused.status_code == 200:
        assert refused.json()["items"] == [], refused.text[:300]
    else:
        assert refused.status_code == 403, refused.text[:300]
        assert refused.json()["detail"] == FORBIDDEN_DETAIL
    assert_reveals_nothing(refused, secured)
    assert "success" not in [r["outcome"] for r in audit(stack, service, request_id) if r["patient_id"]]
    response, request_id = request(stack, service, "GET", path, call, token_of(secured, call.caller))
    assert response.status_code == 200, response.text[:300]
    records = [r for r in audit(stack, service, request_id) if r["actor"] == secured.staff[call.caller].id]
    # One search record: the patient's, or (the patients service's searches)
    # one record of the search itself.
    assert [(r["action"], r["outcome"]) for r in records] == [("search", "success")], records
    assert records[0]["patient_id"] in (secured.patient.id, None)


@pytest.mark.parametrize("service", SERVICES)
def test_audit_chain_verifies(stack, secured, service):
    verified = stack.command(service, "audit", "verify", service)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    report = json.loads(verified.stdout.strip().splitlines()[-1])
    assert report["ok"] is True and report["checked"] > 0, report
