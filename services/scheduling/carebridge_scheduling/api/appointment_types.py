"""/appointment-types: the catalogue of visit types (reference data)."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate

from carebridge.auth.roles import ROLES
from carebridge.errors import NotFoundError
from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge.vocabulary.appointment_types import BILLING_CATEGORIES
from carebridge.web import Blueprint, PageArgs, page_from_list, paged, require_roles

from ..domain.appointment_types import UnknownAppointmentType, catalogue

blp = Blueprint("appointment-types", __name__, url_prefix="/appointment-types",
                description="Visit types with their duration, setting and billing service code")


class AppointmentTypeSchema(ma.Schema):
    code = fields.String(required=True)
    display = fields.String(required=True)
    service_code = fields.String(required=True, metadata={"description": "The code billing charges (e.g. CPT 99214)"})
    duration_minutes = fields.Integer(required=True)
    setting = fields.String(required=True, validate=validate.OneOf(CLINICAL_SETTINGS),
                            metadata={"description": "Where this visit usually takes place"})
    billing_category = fields.String(required=True, validate=validate.OneOf(BILLING_CATEGORIES))
    active = fields.Boolean(required=True)


class AppointmentTypeQuery(PageArgs):
    setting = fields.String(validate=validate.OneOf(CLINICAL_SETTINGS))
    active = fields.Boolean()


@blp.route("")
class AppointmentTypes(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="listAppointmentTypes")
    @blp.arguments(AppointmentTypeQuery, location="query")
    @blp.response(200, paged(AppointmentTypeSchema))
    def get(self, args):
        """List appointment types"""
        types = [t for t in catalogue().all()
                 if args.get("setting") in (None, t.setting) and args.get("active") in (None, t.active)]
        return page_from_list(types, args)


@blp.route("/<string:code>")
class AppointmentTypeByCode(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="getAppointmentType")
    @blp.response(200, AppointmentTypeSchema)
    def get(self, code):
        """Read an appointment type"""
        try:
            return catalogue().get(code)
        except UnknownAppointmentType:
            raise NotFoundError("No such appointment type.") from None
