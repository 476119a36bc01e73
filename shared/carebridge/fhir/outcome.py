"""Every answer under `/fhir/` is `application/fhir+json`, and every error
there an OperationOutcome: the kit's problem+json answers (401 from the
token check, 403 from the access rules, 404, 422 from the arguments, 500)
are rewritten at the end of the request, so a FHIR path answers errors in
FHIR whichever part of the stack refused it. A client that accepts neither
FHIR JSON nor JSON gets 406."""
from __future__ import annotations

import json

from flask import Flask, Response, g, request

from .elements import FHIR_BASE, FHIR_JSON

ACCEPTABLE = (FHIR_JSON, "application/json", "application/*", "*/*", "application/json+fhir")

# HTTP status -> OperationOutcome issue code (http://hl7.org/fhir/issue-type).
ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
               406: "not-supported", 409: "conflict", 410: "deleted", 412: "conflict", 413: "too-costly",
               415: "not-supported", 422: "invalid", 428: "required", 429: "throttled", 500: "exception",
               503: "transient"}


def is_fhir_path(path: str) -> bool:
    return path == FHIR_BASE or path.startswith(FHIR_BASE + "/")


def operation_outcome(status: int, diagnostics: str, *, title: str | None = None,
                      errors: dict | None = None) -> dict:
    code = ISSUE_CODES.get(status, "processing" if status < 500 else "exception")
    issues = [{"severity": "error" if status < 500 else "fatal", "code": code, "diagnostics": diagnostics}]
    if title:
        issues[0]["details"] = {"text": title}
    for field, messages in sorted((errors or {}).items()):
        texts = messages if isinstance(messages, list) else [messages]
        issues.append({"severity": "error", "code": "invalid", "expression": [str(field)],
                       "diagnostics": "; ".join(str(m) for m in texts)})
    return {"resourceType": "OperationOutcome", "issue": issues}


def _accepts_fhir() -> bool:
    accepted = request.headers.get("Accept", "").strip()
    if not accepted:
        return True
    return any(part.split(";")[0].strip().lower() in ACCEPTABLE for part in accepted.split(","))


def _negotiate():
    if is_fhir_path(request.path) and not _accepts_fhir():
        from ..web.problems import problem
        return problem(406, f"FHIR answers are {FHIR_JSON} (or application/json); the Accept header allows "
                            "neither.")
    return None


def _as_fhir(response: Response) -> Response:
    if not is_fhir_path(request.path):
        return response
    if response.mimetype == "application/problem+json":
        body = json.loads(response.get_data(as_text=True))
        outcome = operation_outcome(response.status_code, body.get("detail") or body.get("title") or "error",
                                    title=body.get("title"), errors=body.get("errors"))
        request_id = body.get("request_id") or getattr(g, "request_id", None)
        if request_id:
            outcome["id"] = _fhir_safe_id(request_id)
        response.set_data(json.dumps(outcome))
        response.mimetype = FHIR_JSON
    elif response.mimetype == "application/json":
        response.mimetype = FHIR_JSON
    return response


def _fhir_safe_id(value: str) -> str:
    kept = "".join(c if c.isalnum() or c in "-." else "-" for c in value)[:64]
    return kept or "outcome"


def register_fhir_hooks(app: Flask) -> None:
    app.before_request(_negotiate)
    app.after_request(_as_fhir)
