"""`/.well-known/carebridge`: what a client needs to know before its first
call, asked without a token. Which mode the stack runs in, and where tokens
come from: the identity provider's issuer and audience, and in development
mode only, the endpoint that signs development tokens (what `carebridge
token` prints), so that the Python client's development token provider
works against `make run` and nowhere else.

The development token endpoint answers 404 unless CAREBRIDGE_ENV is
development: a test or production stack never signs a token for anyone."""
from __future__ import annotations

import marshmallow as ma

from ..auth import issue_token
from ..auth.roles import ROLES
from .api import Blueprint, operation_noun
from .current import current_runtime
from .problems import problem

PATH = "/.well-known/carebridge"
DEVELOPMENT_TOKEN_PATH = PATH + "/development-token"
# Staff roles only: a service's identity is never handed out over HTTP.
STAFF_ROLES = tuple(role for role in ROLES if role != "service")
LONGEST_DEVELOPMENT_TOKEN = 3600


class TokenSourcesSchema(ma.Schema):
    issuer = ma.fields.String(required=True, metadata={"description": "The `iss` the services expect"})
    audience = ma.fields.String(required=True, metadata={"description": "The `aud` the services expect"})
    development_token_url = ma.fields.String(
        required=True, allow_none=True,
        metadata={"description": "Where a development token is signed (development mode only, else null)"})


class DiscoverySchema(ma.Schema):
    service = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    environment = ma.fields.String(required=True, validate=ma.validate.OneOf(("development", "test", "production")))
    tokens = ma.fields.Nested(TokenSourcesSchema, required=True)


class DevelopmentTokenRequestSchema(ma.Schema):
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(STAFF_ROLES))
    subject = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(min=1, max=128),
                               metadata={"description": "A practitioner's directory id (the token's sub)"})
    ttl_seconds = ma.fields.Integer(load_default=LONGEST_DEVELOPMENT_TOKEN,
                                    validate=ma.validate.Range(min=60, max=LONGEST_DEVELOPMENT_TOKEN))


class DevelopmentTokenSchema(ma.Schema):
    access_token = ma.fields.String(required=True)
    token_type = ma.fields.String(required=True, validate=ma.validate.OneOf(("Bearer",)))
    expires_in = ma.fields.Integer(required=True, metadata={"description": "Seconds the token is valid"})


def discovery(service_name: str) -> Blueprint:
    noun = operation_noun(service_name)
    blueprint = Blueprint("discovery", __name__, description="How to reach this stack (no token needed)")

    @blueprint.route(PATH)
    @blueprint.doc(security=[], operationId=f"discover{noun}Stack")
    @blueprint.response(200, DiscoverySchema, example={
        "service": service_name, "version": "1.0.0", "environment": "development",
        "tokens": {"issuer": "carebridge-dev", "audience": "carebridge",
                   "development_token_url": DEVELOPMENT_TOKEN_PATH}})
    def describe():
        """Describe the stack's mode and token sources"""
        runtime = current_runtime()
        settings = runtime.settings
        development = settings.environment == "development"
        return {"service": runtime.service.name, "version": runtime.service.version,
                "environment": settings.environment,
                "tokens": {"issuer": settings.jwt_issuer, "audience": settings.jwt_audience,
                           "development_token_url": DEVELOPMENT_TOKEN_PATH if development else None}}

    @blueprint.route(DEVELOPMENT_TOKEN_PATH, methods=["POST"])
    @blueprint.doc(security=[], operationId=f"issue{noun}DevelopmentToken",
                   responses={"404": {"description": "Not in development mode"}})
    @blueprint.arguments(DevelopmentTokenRequestSchema, example={"role": "coordinator",
                                                                 "subject": "6f0c4c1e-1d1b-4b7e-9a55-3f1f0d6e2a10"})
    @blueprint.response(200, DevelopmentTokenSchema, example={
        "access_token": "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl", "token_type": "Bearer", "expires_in": 3600})
    def development_token(data):
        """Sign a development token

        Only while the stack runs in development mode (`make run`); 404
        otherwise. The same token `carebridge token --role ROLE` prints."""
        settings = current_runtime().settings
        if settings.environment != "development":
            return problem(404, "Development tokens are signed only in development mode; "
                                "get a token from the identity provider.")
        token = issue_token(settings, [data["role"]], subject=data["subject"], ttl_seconds=data["ttl_seconds"])
        return {"access_token": token, "token_type": "Bearer", "expires_in": data["ttl_seconds"]}

    return blueprint
