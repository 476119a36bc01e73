"""/slots: free times to book, across practitioners."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import marshmallow as ma
from flask import jsonify
from flask.views import MethodView
from marshmallow import fields, validate, validates_schema

from carebridge.auth.roles import ROLES
from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge.web import TIME_ZONE, Blueprint, PageArgs, paged, request_session, require_roles

from ..domain.time_zones import zone
from ..service_layer import slots
from ..service_layer.placement import bookable_type
from .common import calendar_day, moment, time_zone_field

blp = Blueprint("slots", __name__, url_prefix="/slots",
                description="Free slots derived from schedules and existing appointments")

MAX_DAYS = 31


class SlotQueryArgs(PageArgs):
    appointment_type_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    start_date = calendar_day(required=True, metadata={"description": "First day, in `time_zone`"})
    end_date = calendar_day(required=True, metadata={"description": f"Last day (inclusive, at most {MAX_DAYS} days)"})
    time_zone = time_zone_field(load_default="UTC", metadata={
        "description": "The patient's IANA time zone: days are read and local times shown in it"})
    practitioner_id = fields.UUID()
    setting = fields.String(validate=validate.OneOf(CLINICAL_SETTINGS))
    location_id = fields.UUID()

    @validates_schema
    def _range(self, data, **_kwargs):
        days = (data["end_date"] - data["start_date"]).days + 1
        if days < 1:
            raise ma.ValidationError("must not be before start_date", "end_date")
        if days > MAX_DAYS:
            raise ma.ValidationError(f"at most {MAX_DAYS} days after start_date", "end_date")


class SlotSchema(ma.Schema):
    practitioner_id = fields.UUID(required=True)
    location_id = fields.UUID(required=True)
    setting = fields.String(required=True, validate=validate.OneOf(CLINICAL_SETTINGS))
    appointment_type_code = fields.String(required=True)
    start = moment(required=True)
    end = moment(required=True)
    local_start = fields.String(required=True, metadata={
        "format": "date-time", "description": "start in the requested time zone (ISO 8601 with its offset)"})
    local_end = fields.String(required=True, metadata={"format": "date-time"})
    time_zone = fields.String(required=True, metadata=TIME_ZONE)


@blp.route("")
class Slots(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="searchSlots")
    @blp.arguments(SlotQueryArgs, location="query")
    @blp.response(200, paged(SlotSchema))
    def get(self, args):
        """Search free slots of one appointment type"""
        appointment_type = bookable_type(request_session(), args["appointment_type_code"],
                                         field="query.appointment_type_code")
        tz = zone(args["time_zone"])
        start = datetime.combine(args["start_date"], time(0), tzinfo=tz)
        end = datetime.combine(args["end_date"] + timedelta(days=1), time(0), tzinfo=tz)
        query = slots.SlotQuery(appointment_type, start, end, args.get("practitioner_id"), args.get("setting"),
                                args.get("location_id"))
        found, total = slots.search(request_session(), query, args["page"], args["page_size"])
        # The page as SlotPageSchema would dump it, written directly: the
        # schema documents it (and the tests check the answer against it),
        # but dumping 25 slots field by field cost more CPU than the search's
        # arithmetic over every practitioner.
        code, zone_name = appointment_type.code, args["time_zone"]
        items = [{"practitioner_id": str(slot.practitioner_id), "location_id": str(slot.location_id),
                  "setting": slot.setting, "appointment_type_code": code, "start": slot.start.isoformat(),
                  "end": slot.end.isoformat(), "local_start": slot.start.astimezone(tz).isoformat(),
                  "local_end": slot.end.astimezone(tz).isoformat(), "time_zone": zone_name}
                 for slot in found]
        return jsonify({"items": items, "page": args["page"], "page_size": args["page_size"], "total": total})
