"""/care-plans: creating, reading, revising and closing care plans."""
from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.db import among_patients, where_equal
from carebridge.web import (Blueprint, allow_services, audited_search, documented_if_match, dump, idempotent, page_of,
                            paged, patient_access, patient_scoped, request_session, require_if_match, require_roles,
                            with_etag)

from ..persistence.documents import plan_document
from ..persistence.models import CarePlan
from ..service_layer import plans, templates
from .access import actor, keeping_refused_findings, refuse_override_unless_allowed
from .examples import (COMPLETED_PLAN, FROM_TEMPLATE, NEW_PLAN, PLAN, PLAN_REVISION, PLAN_STATUS, REVISED_PLAN,
                       TEMPLATE_PLAN)
from .schemas.plans import (PlanCreateSchema, PlanListArgs, PlanListItemSchema, PlanRevisionSchema, PlanSchema,
                            PlanStatusChangeSchema, TemplateInstantiationSchema)

_plan = PlanSchema()


blp = Blueprint("care-plans", __name__, url_prefix="/care-plans",
                description="Versioned care plans: goals, activities and medications, with safety checks.")


def plan_response(plan: CarePlan, status: int = 200):
    body = dump(_plan, {**plan_document(plan), "version": plan.version, "created_at": plan.created_at,
                        "created_by": plan.created_by, "updated_at": plan.updated_at})
    response = with_etag(body, plan.version)
    response.status_code = status
    if status == 201:
        response.headers["Location"] = url_for("care-plans.CarePlanById", plan_id=plan.id)
    return response


@blp.route("")
class CarePlans(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listCarePlans")
    @blp.arguments(PlanListArgs, location="query")
    @blp.response(200, paged(PlanListItemSchema))
    def get(self, args):
        """List care plans

        Most recently changed first; one patient's with ?patient_id=."""
        visible = audited_search("care-plan", args.get("patient_id"))
        statement = among_patients(select(CarePlan), CarePlan.patient_id, visible)
        statement = where_equal(statement, CarePlan, args, ("patient_id",))
        if args.get("status"):
            statement = statement.where(CarePlan.status.in_(args["status"]))
        return page_of(request_session(), statement.order_by(CarePlan.updated_at.desc(), CarePlan.id), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="createCarePlan")
    @blp.arguments(PlanCreateSchema, example=NEW_PLAN)
    @blp.response(201, PlanSchema, example=PLAN)
    def post(self, data):
        """Create a care plan

        A draft, or active at once. Medications are checked for safety; contraindicated or major
        findings refuse it (409) unless a physician or nurse sends medication_override."""
        patient_access(data["patient_id"], action="create", resource_type="care-plan")
        refuse_override_unless_allowed(data, patient_id=data["patient_id"])
        with keeping_refused_findings():
            plan, _ = plans.create_plan(request_session(), data, actor(), reason=data["reason"])
        return plan_response(plan, 201)


@blp.route("/from-template")
class CarePlansFromTemplate(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="createCarePlanFromTemplate")
    @blp.arguments(TemplateInstantiationSchema, example=FROM_TEMPLATE)
    @blp.response(201, PlanSchema, example=TEMPLATE_PLAN)
    def post(self, data):
        """Start a draft care plan from a template

        See /plan-templates; leave out what does not apply, then tailor the draft."""
        patient_access(data["patient_id"], action="create", resource_type="care-plan")
        refuse_override_unless_allowed(data, patient_id=data["patient_id"])
        with keeping_refused_findings():
            plan, _ = templates.instantiate(request_session(), data, actor())
        return plan_response(plan, 201)


@blp.route("/<uuid:plan_id>")
class CarePlanById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getCarePlan")
    @allow_services("scheduling")
    @blp.response(200, PlanSchema, example=PLAN)
    def get(self, plan_id):
        """Read a care plan

        Open to the plan's care team, coordinators and admins, and the
        scheduling service (checking that a booking names a plan of its own
        patient, for a plan whose event has not reached it yet). The ETag is
        the version to send in If-Match."""
        plan = plans.load_plan(request_session(), plan_id)
        patient_access(plan.patient_id, action="read", resource_type="care-plan", resource_id=plan.id)
        return plan_response(plan)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="reviseCarePlan")
    @blp.arguments(PlanRevisionSchema, example=PLAN_REVISION)
    @blp.response(200, PlanSchema, example=REVISED_PLAN)
    def patch(self, data, plan_id):
        """Revise a care plan

        Details, goals and activities added (no id) or changed (with id). Every effective change is
        one new version with its reason; medications added or changed are checked for safety."""
        session = request_session()
        plan = plans.load_plan(session, plan_id)
        patient_access(plan.patient_id, action="update", resource_type="care-plan", resource_id=plan.id)
        require_if_match(plan.version)
        refuse_override_unless_allowed(data, patient_id=plan.patient_id, resource_id=plan.id)
        with keeping_refused_findings():
            plans.revise_plan(session, plan, data, actor())
        return plan_response(plan)


@blp.route("/<uuid:plan_id>/status")
class CarePlanStatus(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="changeCarePlanStatus")
    @blp.arguments(PlanStatusChangeSchema, example=PLAN_STATUS)
    @blp.response(200, PlanSchema, example=COMPLETED_PLAN)
    def put(self, data, plan_id):
        """Change a care plan's status

        Activate, hold, complete or revoke the plan. Ending it cancels the activities that never
        started and stops those under way."""
        session = request_session()
        plan = plans.load_plan(session, plan_id)
        patient_access(plan.patient_id, action="update", resource_type="care-plan", resource_id=plan.id)
        require_if_match(plan.version)
        plans.change_plan_status(session, plan, data["status"], data["reason"], actor())
        return plan_response(plan)
