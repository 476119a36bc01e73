"""/booking-requests: the "to book" list of follow-ups and therapy courses
that care plans ask for."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate

from carebridge.auth.roles import CLINICAL_READERS
from carebridge.web import (Blueprint, PageArgs, audited_search, dump, page_of, paged, patient_access, patient_scoped,
                            request_session, require_roles, with_etag)

from ..service_layer import booking_requests
from ..service_layer.booking_requests import OPEN, STATUSES
from .common import calendar_day, moment

blp = Blueprint("booking-requests", __name__, url_prefix="/booking-requests",
                description="Follow-up visits and therapy courses from care plans, waiting to be booked")

RESOURCE = "booking-request"
KINDS = ("follow-up", "therapy")


class BookingRequestSchema(ma.Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    care_plan_id = fields.UUID()
    plan_activity_id = fields.UUID()
    plan_version = fields.Integer()
    kind = fields.String(validate=validate.OneOf(KINDS))
    appointment_type_code = fields.String()
    window_start = fields.Date(allow_none=True, metadata={"description": "Book no earlier than"})
    window_end = fields.Date(allow_none=True, metadata={"description": "Book no later than"})
    sessions_per_week = fields.Integer(allow_none=True)
    duration_weeks = fields.Integer(allow_none=True)
    practitioner_id = fields.UUID(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    appointment_id = fields.UUID(allow_none=True)
    series_id = fields.UUID(allow_none=True)
    version = fields.Integer()
    created_at = moment()
    updated_at = moment()


class BookingRequestQuery(PageArgs):
    status = fields.String(load_default=OPEN, validate=validate.OneOf(STATUSES))
    patient_id = fields.UUID()
    care_plan_id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(KINDS))
    window_end_before = calendar_day(metadata={"description": "Only those due to be booked before this day"})


_booking_request = BookingRequestSchema()


@blp.route("")
class BookingRequests(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listBookingRequests")
    @blp.arguments(BookingRequestQuery, location="query")
    @blp.response(200, paged(BookingRequestSchema))
    def get(self, args):
        """List booking requests

        The "to book" list, most urgent first."""
        visible = audited_search(RESOURCE, args.get("patient_id"))
        return page_of(request_session(), booking_requests.search(args, visible), args)


@blp.route("/<uuid:request_id>")
class BookingRequestById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getBookingRequest")
    @blp.response(200, BookingRequestSchema)
    def get(self, request_id):
        """Read a booking request"""
        request = booking_requests.get(request_session(), request_id)
        patient_access(request.patient_id, action="read", resource_type=RESOURCE, resource_id=request.id)
        return with_etag(dump(_booking_request, request), request.version)
