"""/check-ins: the coordinator's check-ins and progress notes."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.db import where_equal
from carebridge.web import (Blueprint, idempotent, page_of, paged, patient_access, patient_scoped, request_session,
                            require_roles)

from ..persistence.models import CheckIn
from ..service_layer import check_ins
from .access import actor
from .examples import CHECK_IN, NEW_CHECK_IN
from .schemas.check_ins import CheckInCreateSchema, CheckInListArgs, CheckInSchema

blp = Blueprint("check-ins", __name__, url_prefix="/check-ins",
                description="How the patient is doing, barriers, and progress on the plan's goals.")


@blp.route("")
class CheckIns(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listCheckIns")
    @blp.arguments(CheckInListArgs, location="query")
    @blp.response(200, paged(CheckInSchema))
    def get(self, args):
        """List a patient's check-ins

        Latest first."""
        patient_access(args["patient_id"], action="search", resource_type="check-in")
        statement = where_equal(select(CheckIn), CheckIn, args, ("patient_id", "plan_id"))
        return page_of(request_session(), statement.order_by(CheckIn.recorded_at.desc(), CheckIn.id), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="recordCheckIn")
    @blp.arguments(CheckInCreateSchema, example=NEW_CHECK_IN)
    @blp.response(201, CheckInSchema, example=CHECK_IN)
    def post(self, data):
        """Record a check-in

        Goal progress updates the goals' achievement (a new plan version); reaching the patient
        completes the check-in task it answers."""
        patient_access(data["patient_id"], action="create", resource_type="check-in")
        return check_ins.record_check_in(request_session(), data, actor())


@blp.route("/<uuid:check_in_id>")
class CheckInById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getCheckIn")
    @blp.response(200, CheckInSchema, example=CHECK_IN)
    def get(self, check_in_id):
        """Read a check-in"""
        check_in = check_ins.load_check_in(request_session(), check_in_id)
        patient_access(check_in.patient_id, action="read", resource_type="check-in", resource_id=check_in.id)
        return check_in
