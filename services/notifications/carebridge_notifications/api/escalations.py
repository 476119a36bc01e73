"""Escalations of a patient's urgent notifications, with their chains: /escalations"""
from flask.views import MethodView

from carebridge.auth.roles import STAFF_ROLES
from carebridge.web import Blueprint, page_of, paged, patient_access, patient_scoped, request_session, require_roles

from ..service_layer import history
from .schemas.escalations import EscalationArgs, EscalationSchema

blp = Blueprint("escalations", __name__, url_prefix="/escalations",
                description="Urgent notifications nobody acknowledged in time, and who they went to next")


@blp.route("")
class PatientEscalations(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="listEscalations")
    @blp.arguments(EscalationArgs, location="query")
    @blp.response(200, paged(EscalationSchema))
    def get(self, args):
        """List a patient's escalations

        Newest first."""
        patient_access(args["patient_id"], action="read", resource_type="escalation")
        return page_of(request_session(), history.escalations_about(args["patient_id"], status=args.get("status")),
                       args)


@blp.route("/<uuid:escalation_id>")
class EscalationById(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="getEscalation")
    @blp.response(200, EscalationSchema)
    def get(self, escalation_id):
        """Read an escalation and its recorded chain"""
        escalation = history.find_escalation(request_session(), escalation_id)
        patient_access(escalation.patient_id, action="read", resource_type="escalation", resource_id=escalation.id)
        return escalation
