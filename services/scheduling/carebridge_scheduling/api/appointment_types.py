"""/appointment-types: the catalogue of visit types per clinical setting
(data: administrators add and retire types)."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate

from carebridge.auth.roles import ROLES
from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge.vocabulary.appointment_types import BILLING_CATEGORIES
from carebridge.web import (Blueprint, PageArgs, dump, page_of, paged, request_session, require_roles, with_etag)

from ..domain.appointment_types import MAX_DURATION_MINUTES
from ..service_layer import appointment_types
from .common import created
from .examples import APPOINTMENT_TYPE, NEW_APPOINTMENT_TYPE, RETIRED_APPOINTMENT_TYPE

blp = Blueprint("appointment-types", __name__, url_prefix="/appointment-types",
                description="Visit types per clinical setting, with their duration and billing service code")


class AppointmentTypeSchema(ma.Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                         metadata={"description": "A short stable slug"})
    display = fields.String(required=True, validate=validate.Length(min=1, max=200))
    service_code = fields.String(required=True, validate=validate.Regexp(r"^[A-Z0-9]{4,10}$"),
                                 metadata={"description": "The code billing charges (CPT/HCPCS, e.g. 99214)"})
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=5, max=MAX_DURATION_MINUTES))
    setting = fields.String(required=True, validate=validate.OneOf(CLINICAL_SETTINGS),
                            metadata={"description": "The clinical setting the visit is offered in; it is booked "
                                                     "only at locations of this setting"})
    billing_category = fields.String(required=True, validate=validate.OneOf(BILLING_CATEGORIES))
    active = fields.Boolean(dump_only=True, metadata={"description": "False once retired: no new bookings"})


class AppointmentTypeQuery(PageArgs):
    setting = fields.String(validate=validate.OneOf(CLINICAL_SETTINGS))
    active = fields.Boolean()


_appointment_type = AppointmentTypeSchema()


@blp.route("")
class AppointmentTypes(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="listAppointmentTypes")
    @blp.arguments(AppointmentTypeQuery, location="query")
    @blp.response(200, paged(AppointmentTypeSchema))
    def get(self, args):
        """List appointment types"""
        return page_of(request_session(), appointment_types.search(args), args)

    @require_roles("admin")
    @blp.doc(operationId="createAppointmentType")
    @blp.arguments(AppointmentTypeSchema, example=NEW_APPOINTMENT_TYPE)
    @blp.response(201, AppointmentTypeSchema, example=APPOINTMENT_TYPE)
    def post(self, data):
        """Add an appointment type to a setting

        Administrators only. The type is bookable at once at active locations
        of its setting."""
        row = appointment_types.create(request_session(), data)
        return created(dump(_appointment_type, row), f"/appointment-types/{row.code}", row.version)


@blp.route("/<string:code>")
class AppointmentTypeByCode(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="getAppointmentType")
    @blp.response(200, AppointmentTypeSchema, example=APPOINTMENT_TYPE)
    def get(self, code):
        """Read an appointment type"""
        row = appointment_types.get(request_session(), code)
        return with_etag(dump(_appointment_type, row), row.version)


@blp.route("/<string:code>/retire")
class RetireAppointmentType(MethodView):
    @require_roles("admin")
    @blp.doc(operationId="retireAppointmentType")
    @blp.response(200, AppointmentTypeSchema, example=RETIRED_APPOINTMENT_TYPE)
    def post(self, code):
        """Retire an appointment type

        Administrators only. No new bookings, waitlist entries or slot searches
        of the type; visits already booked keep it."""
        session = request_session()
        row = appointment_types.set_active(session, appointment_types.get(session, code), False)
        return with_etag(dump(_appointment_type, row), row.version)
