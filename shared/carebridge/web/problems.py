"""Every error is `application/problem+json` (RFC 9457): a type, a title, the
status, a detail, and for invalid input the errors per field. A bad request
is never a 500 and never an HTML page; a 500 says nothing about internals."""
from __future__ import annotations

import logging

import marshmallow as ma
from flask import Flask, Response, g, json
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from ..errors import CareBridgeError

log = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:carebridge:problem:"

_BY_STATUS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    412: ("stale-write", "Precondition failed"),
    413: ("too-large", "Request too large"),
    414: ("uri-too-long", "URI too long"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation", "Invalid request"),
    428: ("if-match-required", "Precondition required"),
    429: ("too-many-requests", "Too many requests"),
    431: ("headers-too-large", "Request header fields too large"),
    500: ("internal", "Internal server error"),
    503: ("unavailable", "Service unavailable"),
}


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation of the error responses)."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(required=True, metadata={"description": "A URI naming the kind of problem"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    instance = ma.fields.String()
    request_id = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "Per-field messages for invalid input"})


class OperationOutcomeIssueSchema(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE

    severity = ma.fields.String(required=True, metadata={"enum": ["fatal", "error", "warning", "information"]})
    code = ma.fields.String(required=True, metadata={"description": "http://hl7.org/fhir/issue-type"})
    diagnostics = ma.fields.String()
    details = ma.fields.Dict()
    expression = ma.fields.List(ma.fields.String())


class OperationOutcomeSchema(ma.Schema):
    """A FHIR OperationOutcome: how the `/fhir/R4` paths answer every error
    (the problem's status stays the HTTP status; its detail is the first
    issue's diagnostics)."""

    class Meta:
        unknown = ma.INCLUDE

    resourceType = ma.fields.String(required=True, metadata={"enum": ["OperationOutcome"]})
    id = ma.fields.String()
    issue = ma.fields.List(ma.fields.Nested(OperationOutcomeIssueSchema), required=True)


def problem(status: int, detail: str | None = None, *, title: str | None = None, type_slug: str | None = None,
            errors: dict | None = None, headers: dict | None = None, **extensions) -> Response:
    slug, default_title = _BY_STATUS.get(status, ("error", "Error"))
    body = {
        "type": TYPE_BASE + (type_slug or slug),
        "title": title or default_title,
        "status": status,
        "detail": detail or title or default_title,
    }
    request_id = getattr(g, "request_id", None) if g else None
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    body.update(extensions)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten_locations(messages) -> dict:
    """webargs reports errors per location ({"json": {"field": [...]}});
    clients want them per field. Query and header errors keep a prefix."""
    if not isinstance(messages, dict):
        return {"_request": messages}
    flat: dict = {}
    for location, errors in messages.items():
        if location in ("json", "form", "files") and isinstance(errors, dict):
            flat.update(errors)
        elif isinstance(errors, dict):
            for name, value in errors.items():
                flat[f"{location}.{name}"] = value
        else:
            flat[location] = errors
    return flat


def from_http_exception(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    headers = dict(data.get("headers") or {})
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    messages = data.get("errors") or data.get("messages")
    if status == 400 and messages and _flatten_locations(messages).get("json") == ["Invalid JSON body."]:
        return problem(400, "The request body is not valid JSON.", title="Malformed JSON",
                       type_slug="malformed-json", headers=headers)
    if status == 422 and messages:
        return problem(422, "Some fields are missing or invalid; see errors.", errors=_flatten_locations(messages),
                       headers=headers)
    detail = data.get("message")
    if detail is None and status < 500:
        detail = error.description
    return problem(status, detail, headers=headers)


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(CareBridgeError)
    def _domain_error(error: CareBridgeError):
        return problem(error.status, error.detail, title=error.title, type_slug=error.type_slug,
                       errors=error.errors, **error.extensions)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return from_http_exception(error)

    @app.errorhandler(StaleDataError)
    def _stale(_error):
        return problem(412, "The resource changed since you read it; read it again and retry.")

    @app.errorhandler(IntegrityError)
    def _integrity(_error):
        log.warning("a write clashed with a database constraint")
        return problem(409, "The request conflicts with existing data.")

    @app.errorhandler(DataError)
    def _unstorable(_error):
        # A value the schema let through but the database cannot store (a NUL
        # character, a number out of range): the client's input, not our bug.
        log.warning("a value could not be stored")
        return problem(422, "A value in the request cannot be stored (out of range or containing "
                            "characters such as NUL).")

    @app.errorhandler(OperationalError)
    def _database_down(_error):
        log.exception("database unavailable")
        return problem(503, "The service's database is unavailable; try again shortly.",
                       headers={"Retry-After": "5"})

    @app.errorhandler(Exception)
    def _unexpected(_error: Exception):
        log.exception("unhandled error")
        return problem(500, "Something went wrong on our side. Quote the request id when you report it.")
