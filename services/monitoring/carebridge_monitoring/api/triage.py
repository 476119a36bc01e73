"""/triage-protocols and /triage-calls: telephone triage by protocol."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.web import (Blueprint, dump, page_of, paged, patient_access, patient_scoped, request_session,
                            require_roles)

from ..domain.triage import protocols
from ..persistence.models import TriageCall
from ..service_layer import triage
from .common import actor, created
from .examples import NEW_TRIAGE_CALL, TRIAGE_CALL
from .schemas import PatientListArgs, ProtocolSchema, TriageCallCreateSchema, TriageCallSchema

_triage_call = TriageCallSchema()


blp = Blueprint("triage", __name__, url_prefix="",
                description="Telephone triage: protocols, and the calls nurses record with their disposition")

RESOURCE = "triage-call"


@blp.route("/triage-protocols")
class TriageProtocols(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listTriageProtocols")
    @blp.response(200, ProtocolSchema(many=True))
    def get(self):
        """List the triage protocols

        Each with its questions (answered yes or no) and the advice of each
        disposition."""
        return list(protocols().values())


@blp.route("/triage-calls")
class TriageCalls(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listTriageCalls")
    @blp.arguments(PatientListArgs, location="query")
    @blp.response(200, paged(TriageCallSchema))
    def get(self, args):
        """List a patient's triage calls

        Newest first: part of the patient's history."""
        patient_access(args["patient_id"], action="search", resource_type=RESOURCE)
        statement = select(TriageCall).where(TriageCall.patient_id == args["patient_id"])
        return page_of(request_session(), statement.order_by(TriageCall.called_at.desc(), TriageCall.id), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @blp.doc(operationId="recordTriageCall")
    @blp.arguments(TriageCallCreateSchema, example=NEW_TRIAGE_CALL)
    @blp.response(201, TriageCallSchema, example=TRIAGE_CALL)
    def post(self, data):
        """Record a triage call

        Every question of the protocol answered; the protocol decides the
        disposition and the advice to give. Emergency and same-day calls open
        an urgent task and tell the team; book-within-days puts a visit on
        the to-book list."""
        patient_access(data["patient_id"], action="create", resource_type=RESOURCE)
        call = triage.record_call(request_session(), data, actor())
        return created(dump(_triage_call, call), f"/triage-calls/{call.id}")


@blp.route("/triage-calls/<uuid:call_id>")
class TriageCallById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getTriageCall")
    @blp.response(200, TriageCallSchema, example=TRIAGE_CALL)
    def get(self, call_id):
        """Read a triage call"""
        call = triage.load_call(request_session(), call_id)
        patient_access(call.patient_id, action="read", resource_type=RESOURCE, resource_id=call.id)
        return call
