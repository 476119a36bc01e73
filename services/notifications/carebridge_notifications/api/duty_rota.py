"""/recipients/duty-shifts: the staff directory's duty rota (on call, supervisor)."""
from flask import Response
from flask.views import MethodView

from carebridge.auth.roles import STAFF_ROLES
from carebridge.web import (Blueprint, current_principal, documented_if_match, dump, page_of, paged, request_session,
                            require_if_match, require_roles, with_etag)

from ..service_layer import duty_rota
from .examples import DUTY_SHIFT, NEW_DUTY_SHIFT
from .roles import OPERATIONS
from .schemas.duty_rota import DutyShiftArgs, DutyShiftCreateSchema, DutyShiftSchema

_duty_shift = DutyShiftSchema()


blp = Blueprint("duty-rota", __name__, url_prefix="/recipients/duty-shifts",
                description="Who is on call and who supervises, when: where unacknowledged escalations go "
                            "after the care team")


@blp.route("")
class DutyShifts(MethodView):
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="listDutyShifts")
    @blp.arguments(DutyShiftArgs, location="query")
    @blp.response(200, paged(DutyShiftSchema))
    def get(self, args):
        """List the duty rota

        Earliest first; ?at= for the shifts running then."""
        return page_of(request_session(), duty_rota.shifts(args), args)

    @require_roles(*OPERATIONS)
    @blp.doc(operationId="addDutyShift")
    @blp.arguments(DutyShiftCreateSchema, example=NEW_DUTY_SHIFT)
    @blp.response(201, DutyShiftSchema, example=DUTY_SHIFT)
    def post(self, data):
        """Put someone on the duty rota

        Coordinators and admins; the practitioner must be active in the staff directory."""
        shift = duty_rota.add_shift(request_session(), data, by=current_principal().subject)
        return with_etag((dump(_duty_shift, shift), 201), shift.version)


@blp.route("/<uuid:shift_id>")
class DutyShiftById(MethodView):
    @require_roles(*OPERATIONS)
    @documented_if_match
    @blp.doc(operationId="removeDutyShift")
    @blp.response(204)
    def delete(self, shift_id):
        """Take a shift off the rota"""
        session = request_session()
        shift = duty_rota.get_shift(session, shift_id)
        require_if_match(shift.version)
        session.delete(shift)
        return Response(status=204)
