"""/schedules: practitioners' weekly availability, time off and extra hours."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate, validates_schema

from carebridge.auth.roles import CLINICAL_ROLES, ROLES
from carebridge.web import (Blueprint, PageArgs, current_principal, documented_if_match, dump, ensure_roles, page_of,
                            paged, request_session, require_if_match, require_roles, with_etag)

from ..domain.appointment_types import MAX_BUFFER_MINUTES
from ..service_layer import schedules
from .common import TimeOfDay, Weekday, calendar_day, created, moment, subject, time_zone_field
from .examples import EXCEPTION, NEW_EXCEPTION, NEW_SCHEDULE, REPLACED_SCHEDULE, SCHEDULE, SCHEDULE_REPLACEMENT

blp = Blueprint("schedules", __name__, url_prefix="/schedules",
                description="Practitioners' weekly availability in their own time zone, with exceptions")

EXCEPTION_REASONS = ("vacation", "sick", "training", "conference", "clinic-closed", "cover", "other")
TYPE_CODES = fields.List(fields.String(validate=validate.Length(min=1, max=60)),
                         validate=validate.Length(max=20), load_default=list,
                         metadata={"description": "Types offered; empty: the types usual at the location's setting"})


class RuleSchema(ma.Schema):
    weekday = Weekday(required=True)
    start_time = TimeOfDay(required=True, metadata={"description": "HH:MM local time"})
    end_time = TimeOfDay(required=True, metadata={"description": "HH:MM local time, after start_time"})
    location_id = fields.UUID(required=True)
    appointment_type_codes = TYPE_CODES

    @validates_schema
    def _hours(self, data, **_kwargs):
        if data["start_time"] >= data["end_time"]:
            raise ma.ValidationError("must be after start_time", "end_time")


class ScheduleSchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    practitioner_id = fields.UUID(required=True)
    time_zone = time_zone_field(required=True, metadata={"description": "The practitioner's IANA time zone"})
    buffer_minutes = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_BUFFER_MINUTES),
                                    metadata={"description": "Kept free after every visit"})
    slot_interval_minutes = fields.Integer(load_default=15, validate=validate.Range(min=5, max=240),
                                           metadata={"description": "Offered starts are this far apart"})
    valid_from = calendar_day(load_default=None, allow_none=True)
    valid_until = calendar_day(load_default=None, allow_none=True)
    active = fields.Boolean(load_default=True)
    rules = fields.List(fields.Nested(RuleSchema), required=True, validate=validate.Length(max=50))
    version = fields.Integer(dump_only=True)


class ScheduleQuery(PageArgs):
    practitioner_id = fields.UUID()
    location_id = fields.UUID()


class ExceptionSchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    schedule_id = fields.UUID(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(("time-off", "extra-hours")))
    start = moment(required=True, attribute="start_at")
    end = moment(required=True, attribute="end_at")
    location_id = fields.UUID(load_default=None, allow_none=True,
                              metadata={"description": "Where the extra hours are (extra hours only)"})
    appointment_type_codes = TYPE_CODES
    reason_code = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(EXCEPTION_REASONS))
    created_at = moment(dump_only=True)

    @validates_schema
    def _period(self, data, **_kwargs):
        if data["start_at"] >= data["end_at"]:
            raise ma.ValidationError("must be after start", "end")


class ExceptionCreatedSchema(ExceptionSchema):
    booked_appointment_ids = fields.List(fields.UUID(), dump_only=True, metadata={
        "description": "Visits already booked in this time off; they are not moved automatically"})


class ExceptionQuery(PageArgs):
    end_after = moment()
    start_before = moment()


# Coordinators and administrators keep every schedule; clinicians their own.
KEEPERS = ("coordinator", "admin")
EDITORS = (*CLINICAL_ROLES, "admin")


_exception_created = ExceptionCreatedSchema()
_schedule = ScheduleSchema()


def _ensure_may_edit(practitioner_id) -> None:
    principal = current_principal()
    if principal.has_any(*KEEPERS):
        return
    ensure_roles(*CLINICAL_ROLES)
    if principal.practitioner_id != practitioner_id:
        ensure_roles(*KEEPERS)


def _editable(schedule_id):
    session = request_session()
    schedule = schedules.get(session, schedule_id)
    _ensure_may_edit(schedule.practitioner_id)
    return session, schedule


@blp.route("")
class Schedules(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="listSchedules")
    @blp.arguments(ScheduleQuery, location="query")
    @blp.response(200, paged(ScheduleSchema))
    def get(self, args):
        """List schedules"""
        return page_of(request_session(), schedules.search(args), args)

    @require_roles(*EDITORS)
    @blp.doc(operationId="createSchedule")
    @blp.arguments(ScheduleSchema, example=NEW_SCHEDULE)
    @blp.response(201, ScheduleSchema, example=SCHEDULE)
    def post(self, data):
        """Create a practitioner's schedule"""
        _ensure_may_edit(data["practitioner_id"])
        schedule = schedules.create(request_session(), data)
        return created(dump(_schedule, schedule), f"/schedules/{schedule.id}", schedule.version)


@blp.route("/<uuid:schedule_id>")
class ScheduleById(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="getSchedule")
    @blp.response(200, ScheduleSchema, example=SCHEDULE)
    def get(self, schedule_id):
        """Read a schedule"""
        schedule = schedules.get(request_session(), schedule_id)
        return with_etag(dump(_schedule, schedule), schedule.version)

    @require_roles(*EDITORS)
    @documented_if_match
    @blp.doc(operationId="replaceSchedule")
    @blp.arguments(ScheduleSchema, example=SCHEDULE_REPLACEMENT)
    @blp.response(200, ScheduleSchema, example=REPLACED_SCHEDULE)
    def put(self, data, schedule_id):
        """Replace a schedule

        Its rules, time zone, buffer or validity."""
        session, schedule = _editable(schedule_id)
        require_if_match(schedule.version)
        schedule = schedules.replace(session, schedule, data)
        return with_etag(dump(_schedule, schedule), schedule.version)


@blp.route("/<uuid:schedule_id>/exceptions")
class ScheduleExceptions(MethodView):
    @require_roles(*ROLES)
    @blp.doc(operationId="listScheduleExceptions")
    @blp.arguments(ExceptionQuery, location="query")
    @blp.response(200, paged(ExceptionSchema))
    def get(self, args, schedule_id):
        """List a schedule's time off and extra hours"""
        session = request_session()
        schedule = schedules.get(session, schedule_id)
        return page_of(session, schedules.exceptions_of(schedule, args), args)

    @require_roles(*EDITORS)
    @blp.doc(operationId="addScheduleException")
    @blp.arguments(ExceptionSchema, example=NEW_EXCEPTION)
    @blp.response(201, ExceptionCreatedSchema, example=EXCEPTION)
    def post(self, data, schedule_id):
        """Add time off or extra hours

        Visits already booked in new time off are listed in the answer, not moved."""
        session, schedule = _editable(schedule_id)
        exception, booked = schedules.add_exception(session, schedule, data, by=subject())
        body = dump(_exception_created, exception)
        body["booked_appointment_ids"] = [str(appointment_id) for appointment_id in booked]
        return created(body, f"/schedules/{schedule.id}/exceptions/{exception.id}")


@blp.route("/<uuid:schedule_id>/exceptions/<uuid:exception_id>")
class ScheduleExceptionById(MethodView):
    @require_roles(*EDITORS)
    @blp.doc(operationId="removeScheduleException")
    @blp.response(204)
    def delete(self, schedule_id, exception_id):
        """Remove time off or extra hours"""
        session, schedule = _editable(schedule_id)
        schedules.remove_exception(session, schedule, exception_id)
