"""/estimates: what a service will cost the patient, with an explanation
they can understand. The care team may ask for and read them."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.web import Blueprint, idempotent, paged, patient_scoped, request_session

from ..persistence.estimates import Estimate
from ..service_layer.common import today
from ..service_layer.estimates import create_estimate, get_estimate, send_estimate
from .access import actor, billing_record, cost_information_access
from .examples import ESTIMATE, ESTIMATE_REQUEST, ESTIMATE_SENDING, ESTIMATE_SENT
from .listing import filtered_page
from .presenters.estimates import estimate_body
from .schemas.estimates import (EstimateListArgs, EstimateRequestSchema, EstimateSchema, EstimateSendingSchema,
                                EstimateSentSchema)

blp = Blueprint("estimates", __name__, url_prefix="/estimates",
                description="Patient cost estimates for a service code or an appointment type.")
RESOURCE = "estimate"


@blp.route("")
class Estimates(MethodView):
    @blp.doc(operationId="listEstimates")
    @blp.arguments(EstimateListArgs, location="query")
    @blp.response(200, paged(EstimateSchema))
    def get(self, args):
        """List estimates

        Newest first; the care team sees its own patients'."""
        return filtered_page(request_session(), select(Estimate).order_by(Estimate.created_at.desc(), Estimate.id),
                             Estimate, args, ("patient_id",), RESOURCE, estimate_body, check=cost_information_access)

    @patient_scoped
    @idempotent
    @blp.doc(operationId="estimateCost")
    @blp.arguments(EstimateRequestSchema, example=ESTIMATE_REQUEST)
    @blp.response(201, EstimateSchema, example=ESTIMATE)
    def post(self, data):
        """Estimate the patient's cost for a service on a date"""
        session = request_session()
        cost_information_access(data["patient_id"], action="create", resource_type=RESOURCE)
        estimate = create_estimate(session, patient_id=data["patient_id"],
                                   service_date=data.get("service_date") or today(), actor=actor(),
                                   service_code=data.get("service_code"),
                                   appointment_type_code=data.get("appointment_type_code"))
        return estimate_body(estimate)


@blp.route("/<uuid:estimate_id>")
class EstimateById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getEstimate")
    @blp.response(200, EstimateSchema, example=ESTIMATE)
    def get(self, estimate_id):
        """Read an estimate"""
        return estimate_body(billing_record(get_estimate, estimate_id, action="read", resource_type=RESOURCE,
                                            check=cost_information_access))


@blp.route("/<uuid:estimate_id>/send")
class EstimateSending(MethodView):
    @patient_scoped
    @idempotent
    @blp.doc(operationId="sendEstimate")
    @blp.arguments(EstimateSendingSchema, example=ESTIMATE_SENDING)
    @blp.response(202, EstimateSentSchema, example=ESTIMATE_SENT)
    def post(self, data, estimate_id):
        """Send an estimate to the patient and family

        A secure message, in the patient's language, saying what the service will cost them and what their
        insurance is expected to pay; also to each related person with consent to billing news unless
        include_family is false (consent is checked again when it is sent). 409 for a day that has passed."""
        session = request_session()
        estimate = billing_record(get_estimate, estimate_id, action="create", resource_type="estimate-sending",
                                  check=cost_information_access)
        return send_estimate(session, estimate, include_family=data["include_family"])


def register(api) -> None:
    api.register_blueprint(blp)
