"""The audit trail's endpoints, on every service (the app factory registers
them): `GET /audit-events?patient_id=...` answers a privacy officer's "who
saw this patient's record" for this service, and `GET /audit-checkpoints
?service=...` the other services' signed audit checkpoints this service
keeps (carebridge.audit.checkpoints), for `carebridge audit verify
--checkpoints`. Admins and privacy officers only; reading a patient's
audit events is itself audited."""
from __future__ import annotations

import json

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate

from ..audit.checkpoints import kept_checkpoints
from ..audit.queries import events_about
from ..audit.trail import ACTIONS
from ..auth.roles import AUDIT_READERS
from .api import Blueprint, operation_noun
from .guards import patient_access, patient_scoped, require_roles
from .pagination import PageArgs, page_of, paged
from .session import request_session

class AuditEventArgs(PageArgs):
    patient_id = fields.UUID(required=True, metadata={"description": "The patient whose records were accessed"})
    action = fields.String(validate=validate.OneOf(ACTIONS))
    outcome = fields.String(validate=validate.OneOf(("success", "denied")))
    since = fields.AwareDateTime(metadata={"description": "Recorded at or after"})
    until = fields.AwareDateTime(metadata={"description": "Recorded before"})


class AuditEventSchema(ma.Schema):
    seq = fields.Integer(required=True, metadata={"description": "Position in the service's audit trail"})
    recorded_at = fields.AwareDateTime(required=True)
    actor = fields.String(required=True, metadata={"description": "The token's subject (staff: their directory id)"})
    roles = fields.Function(lambda event: event.roles.split(","), required=True,
                            metadata={"type": "array", "items": {"type": "string"}})
    action = fields.String(required=True)
    resource_type = fields.String(required=True)
    resource_id = fields.String(allow_none=True)
    patient_id = fields.String(required=True)
    correlation_id = fields.String(allow_none=True, metadata={"description": "The request's X-Request-ID"})
    outcome = fields.String(required=True)


class CheckpointArgs(PageArgs):
    service = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]{0,79}$"),
                            metadata={"description": "The service whose checkpoints this one keeps"})


class ChainHeadSchema(ma.Schema):
    chain = fields.Integer(required=True)
    seq = fields.Integer(required=True)
    hash = fields.String(required=True)


class CheckpointSchema(ma.Schema):
    service = fields.String(required=True)
    checkpointed_at = fields.String(required=True)
    chains = fields.List(fields.Nested(ChainHeadSchema), required=True)
    key_id = fields.String(required=True)
    public_key = fields.String(required=True, metadata={"description": "Ed25519, base64"})
    signature = fields.String(required=True)


EVENTS_EXAMPLE = {"items": [{
    "seq": 48213, "recorded_at": "2026-03-02T14:05:09.120000+00:00", "actor": "6f0c4c1e-1d1b-4b7e-9a55-3f1f0d6e2a10",
    "roles": ["nurse"], "action": "read", "resource_type": "care-plan",
    "resource_id": "0b8f3c2a-6f7e-4d2b-8c1a-5e9d7f6a4b3c", "patient_id": "9d2e7c5b-3a1f-4e8d-b6c4-2f0a9e8d7c6b",
    "correlation_id": "req-7f3a", "outcome": "success"}], "page": 1, "page_size": 25, "total": 1}
CHECKPOINTS_EXAMPLE = {"items": [{
    "service": "patients", "checkpointed_at": "2026-03-02T14:06:00.004000+00:00",
    "chains": [{"chain": 3, "seq": 48213, "hash": "5e0c" + "0" * 60}], "key_id": "8a61c0f2d9b4e7a3",
    "public_key": "p3Jc0qQ5nJ6ZkXo0m1uQ2yJb8fGv4sD9tRw7aLx3eKc=", "signature": "wq1...=="}],
    "page": 1, "page_size": 25, "total": 1}


def audit_endpoints(service_name: str) -> Blueprint:
    """The audit endpoints of one service. Every service answers the same
    paths, so their operationIds carry the service's name
    (`listPatientsAuditEvents`): ids stay unique when the documents are
    merged."""
    noun = operation_noun(service_name)
    blueprint = Blueprint("audit", __name__, description="Who saw which patient's records in this service, and "
                                                        "the other services' audit checkpoints kept here (admins "
                                                        "and privacy officers)")

    @blueprint.route("/audit-events")
    class AuditEvents(MethodView):
        @patient_scoped
        @blueprint.doc(operationId=f"list{noun}AuditEvents")
        @require_roles(*AUDIT_READERS)
        @blueprint.arguments(AuditEventArgs, location="query")
        @blueprint.response(200, paged(AuditEventSchema), example=EVENTS_EXAMPLE)
        def get(self, args):
            """List who saw or changed one patient's records here, newest first.

            Every read, change and refusal of the patient's data, and every
            list or search whose answer showed the patient. This answer is
            audited too."""
            patient_access(args["patient_id"], action="read", resource_type="audit-event",
                           also_allowed_roles=AUDIT_READERS)
            return page_of(request_session(), events_about(
                args["patient_id"], action=args.get("action"), outcome=args.get("outcome"), since=args.get("since"),
                until=args.get("until")), args, scalars=False)

    @blueprint.route("/audit-checkpoints")
    class AuditCheckpoints(MethodView):
        @blueprint.doc(operationId=f"list{noun}KeptAuditCheckpoints")
        @require_roles(*AUDIT_READERS)
        @blueprint.arguments(CheckpointArgs, location="query")
        @blueprint.response(200, paged(CheckpointSchema), example=CHECKPOINTS_EXAMPLE)
        def get(self, args):
            """List another service's signed audit checkpoints kept here, newest first.

            Save the answer and give it to `carebridge audit verify SERVICE
            --checkpoints FILE`: the service's trail must still reach every
            head they saw."""
            page = page_of(request_session(), kept_checkpoints(args["service"]), args)
            return {**page, "items": [json.loads(document) for document in page["items"]]}

    return blueprint
