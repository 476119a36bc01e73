"""flask-smorest, set up the CareBridge way: problem+json error responses
documented for every operation, every operation named, bearer security, docs
served locally."""
from __future__ import annotations

import http

import flask_smorest
from apispec import BasePlugin
from flask_smorest.spec import prepare_response
from flask_smorest.utils import resolve_schema_instance

from .concurrency import HEADER_DOCS
from .dumping import planned
from .problems import PROBLEM_CONTENT_TYPE, OperationOutcomeSchema, ProblemSchema


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's, each response dumped by the kit's plan of its schema
    (dumping.py: marshmallow's output without its per-field machinery), and
    each argument schema made once, not per request."""

    def response(self, status_code, schema=None, **kwargs):
        return super().response(status_code, planned(resolve_schema_instance(schema)), **kwargs)

    def arguments(self, schema, **kwargs):
        # Given a schema class, webargs makes a new instance on every request,
        # and marshmallow deep-copies the declared fields each time (0.08 ms
        # of CPU for a list's query arguments, 0.11 ms for a patient's
        # registration body, on a 2-core AMD EPYC). Schemas keep no state
        # between loads, so one instance serves every request.
        return super().arguments(resolve_schema_instance(schema), **kwargs)


PUBLIC_PATHS = ("/healthz", "/readyz", "/metrics", "/.well-known/carebridge",
                "/.well-known/carebridge/development-token")
# The FHIR interface's paths (carebridge.fhir): answers in FHIR JSON, errors
# as OperationOutcomes, documented so.
FHIR_PATHS = "/fhir/"
FHIR_CONTENT_TYPE = "application/fhir+json"
FHIR_ERROR_PREFIX = "FHIR_"
# Paths the kit gives every service besides its own (which stay under the
# service's prefixes): the probes and the audit trail's endpoints.
KIT_PATHS = (*PUBLIC_PATHS, "/audit-events", "/audit-checkpoints")

# How a field holding an IANA time-zone name is documented (several services
# take one). The services check the name against the zone database; every
# name in it matches the pattern.
TIME_ZONE = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$", "maxLength": 64,
             "example": "America/New_York"}


class StandardErrorResponses(BasePlugin):
    """Documents, on every operation, the error statuses the kit itself can
    answer with, so that clients (and the API fuzzer) know every status an
    endpoint may return."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = []
            if path not in PUBLIC_PATHS:
                codes += [401, 403]
            if "{" in (path or ""):
                codes.append(404)
            if method in ("post", "put", "patch"):
                codes += [400, 409, 422]
            if method in ("put", "patch", "delete"):
                codes += [412, 428]
            if method in ("get", "post", "put", "patch", "delete"):
                codes += [405, 500, 503]
            for code in codes:
                responses.setdefault(str(code), http.HTTPStatus(code).name)
            if (path or "").startswith(FHIR_PATHS):
                responses.setdefault("406", http.HTTPStatus(406).name)
                for code, answer in list(responses.items()):
                    if isinstance(answer, str) and not str(code).startswith("2"):
                        responses[code] = FHIR_ERROR_PREFIX + answer
            marked = operation.pop("x-carebridge-headers", {})
            parameters = operation.setdefault("parameters", [])
            for header in marked:
                parameters.append(HEADER_DOCS[header])
            if "If-Match" in marked:
                for code in (412, 428):
                    responses.setdefault(str(code), http.HTTPStatus(code).name)


class RequireOperationIds(BasePlugin):
    """Refuses to document an operation without an operationId: the Python
    client is generated from these documents and names its methods after
    them, so an unnamed operation would get a name derived from its URL that
    changes whenever the URL does. Each view names its own with
    `@blp.doc(operationId="registerPatient")`."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if method in ("get", "post", "put", "patch", "delete") and not operation.get("operationId"):
                raise ValueError(f"{method.upper()} {path} has no operationId: "
                                 f"name it on the view with @blp.doc(operationId=\"verbNoun\")")


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
        # The same answers of the /fhir/R4 paths, as OperationOutcomes.
        for name in [status.name for status in http.HTTPStatus if not (100 <= status < 200)
                     and status not in (204, 304)] + ["DEFAULT_ERROR"]:
            response = {"description": f"{name.replace('_', ' ').capitalize()} (a FHIR OperationOutcome)",
                        "schema": OperationOutcomeSchema}
            prepare_response(response, self.spec, FHIR_CONTENT_TYPE)
            self.spec.components.response(FHIR_ERROR_PREFIX + name, response, lazy=True)


def api_config(title: str, version: str, description: str) -> dict:
    return {
        "API_TITLE": title,
        "API_VERSION": version,
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        # Served by this app from the swagger-ui-bundle package: no CDN.
        "OPENAPI_SWAGGER_UI_URL": "/docs/static/",
        "API_SPEC_OPTIONS": {
            "info": {"description": description},
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
            "security": [{"bearerAuth": []}],
        },
    }


def operation_noun(service_name: str) -> str:
    """`Patients` for "patients": the part of the kit's own operationIds that
    keeps them unique across services that all answer the same kit paths."""
    return "".join(part.capitalize() for part in service_name.replace("_", "-").split("-"))
