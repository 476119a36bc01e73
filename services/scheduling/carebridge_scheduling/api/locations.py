"""/locations: where visits take place."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate

from carebridge.auth.roles import ROLES
from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge.web import (Blueprint, PageArgs, allow_services, documented_if_match, dump, page_of, paged,
                            request_session, require_if_match, require_roles, with_etag)

from ..service_layer import locations
from .common import created
from .examples import CHANGED_LOCATION, LOCATION, LOCATION_CHANGES, NEW_LOCATION

blp = Blueprint("locations", __name__, url_prefix="/locations",
                description="Hospitals, nursing homes, clinics, practices and telehealth")


class LocationSchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                         metadata={"description": "A short stable slug"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    setting = fields.String(required=True, validate=validate.OneOf(CLINICAL_SETTINGS))
    active = fields.Boolean(load_default=True)
    version = fields.Integer(dump_only=True)


class LocationQuery(PageArgs):
    setting = fields.String(validate=validate.OneOf(CLINICAL_SETTINGS))
    active = fields.Boolean()


_location = LocationSchema()


@blp.route("")
class Locations(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="listLocations")
    @blp.arguments(LocationQuery, location="query")
    @blp.response(200, paged(LocationSchema))
    def get(self, args):
        """List locations"""
        return page_of(request_session(), locations.search(args), args)

    @require_roles("admin")
    @blp.doc(operationId="createLocation")
    @blp.arguments(LocationSchema, example=NEW_LOCATION)
    @blp.response(201, LocationSchema, example=LOCATION)
    def post(self, data):
        """Add a location

        Administrators only."""
        location = locations.create(request_session(), data)
        return created(dump(_location, location), f"/locations/{location.id}", location.version)


@blp.route("/<uuid:location_id>")
class LocationById(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="getLocation")
    @allow_services("notifications")
    @blp.response(200, LocationSchema, example=LOCATION)
    def get(self, location_id):
        """Read a location"""
        location = locations.get(request_session(), location_id)
        return with_etag(dump(_location, location), location.version)

    @require_roles("admin")
    @documented_if_match
    @blp.doc(operationId="updateLocation")
    @blp.arguments(LocationSchema, example=LOCATION_CHANGES)
    @blp.response(200, LocationSchema, example=CHANGED_LOCATION)
    def put(self, data, location_id):
        """Change a location

        Administrators only."""
        session = request_session()
        location = locations.get(session, location_id)
        require_if_match(location.version)
        location = locations.update(session, location, data)
        return with_etag(dump(_location, location), location.version)
