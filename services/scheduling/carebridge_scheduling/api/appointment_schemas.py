"""Request and response bodies of /appointments."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge.events.catalogue.scheduling import APPOINTMENT_STATUSES, CANCEL_REASONS
from carebridge.web import PageArgs, current_runtime

from ..domain import telehealth
from ..domain.statuses import BOOKABLE
from .common import TimeOfDay, Weekday, calendar_day, moment, on_the_minute, time_zone_field

# Reasons a person may give ("rescheduled": cancelled now, to be rebooked;
# billing keeps its authorization open for it); deactivation is the service's.
CLIENT_CANCEL_REASONS = tuple(r for r in CANCEL_REASONS if r != "patient-deactivated")


class AppointmentSchema(ma.Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    practitioner_id = fields.UUID(required=True)
    location_id = fields.UUID(required=True)
    appointment_type_code = fields.String(required=True)
    service_code = fields.String(required=True)
    setting = fields.String(required=True, validate=validate.OneOf(CLINICAL_SETTINGS))
    start = moment(required=True, attribute="start_at")
    end = moment(required=True, attribute="end_at")
    status = fields.String(required=True, validate=validate.OneOf(APPOINTMENT_STATUSES))
    booked_by = fields.String(allow_none=True)
    series_id = fields.UUID(allow_none=True)
    care_plan_id = fields.UUID(allow_none=True)
    plan_activity_id = fields.UUID(allow_none=True)
    waitlist_entry_id = fields.UUID(allow_none=True)
    hold_expires_at = moment(allow_none=True)
    telehealth_join_url = fields.Method("_join_url", metadata={
        "type": "string", "format": "uri", "nullable": True,
        "description": "The patient's link into the video visit (telehealth only)"})
    cancel_reason_code = fields.String(allow_none=True, validate=validate.OneOf(CANCEL_REASONS))
    cancelled_at = moment(allow_none=True)
    arrived_at = moment(allow_none=True)
    checked_in_at = moment(allow_none=True)
    completed_at = moment(allow_none=True)
    noshow_at = moment(allow_none=True)
    authorization_issue = fields.String(allow_none=True, validate=validate.OneOf(("denied", "expired", "expiring")),
                                        metadata={"description": "Set when billing reported the prior "
                                                  "authorization this visit depends on denied, expired, or "
                                                  "expiring before the visit: get a new one or rebook."})
    authorization_issue_at = moment(allow_none=True)
    version = fields.Integer(required=True)
    created_at = moment(required=True)
    updated_at = moment(required=True)

    def _join_url(self, appointment):
        if appointment.telehealth_token is None:
            return None
        return telehealth.rooms(current_runtime().service_settings).join_url(
            appointment.telehealth_token, appointment.start_at, appointment.end_at)


class BookingSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    practitioner_id = fields.UUID(required=True)
    appointment_type_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    start = moment(required=True, validate=on_the_minute)
    location_id = fields.UUID(load_default=None, allow_none=True,
                              metadata={"description": "Where; by default the care facility of a patient who lives in a "
                                                       "nursing home, else wherever the practitioner is then"})
    status = fields.String(load_default="booked", validate=validate.OneOf(BOOKABLE),
                           metadata={"description": "pending holds the slot until confirmed"})
    care_plan_id = fields.UUID(load_default=None, allow_none=True)
    plan_activity_id = fields.UUID(load_default=None, allow_none=True,
                                   metadata={"description": "The care plan activity this visit carries out"})
    off_grid = fields.Boolean(load_default=False, metadata={
        "description": "true to book a start off the schedule's slot grid deliberately (10:07 on a 15-minute "
                       "grid); otherwise such a start is refused with 422 (reason off-grid)"})


class SessionSchema(ma.Schema):
    weekday = Weekday(required=True)
    at = TimeOfDay(required=True, metadata={"description": "HH:MM local time"})


class SeriesBookingSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    practitioner_id = fields.UUID(required=True)
    appointment_type_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    location_id = fields.UUID(load_default=None, allow_none=True)
    first_day = calendar_day(required=True)
    weeks = fields.Integer(required=True, validate=validate.Range(min=1, max=52))
    sessions = fields.List(fields.Nested(SessionSchema), required=True, validate=validate.Length(min=1, max=14))
    time_zone = time_zone_field(load_default=None, allow_none=True,
                                metadata={"description": "Of the session times; default the practitioner's"})
    care_plan_id = fields.UUID(load_default=None, allow_none=True)
    plan_activity_id = fields.UUID(load_default=None, allow_none=True)


class RefusedOccurrenceSchema(ma.Schema):
    start = moment(required=True)
    end = moment(required=True)
    reason = fields.String(required=True)
    detail = fields.String(required=True)


class SeriesOutcomeSchema(ma.Schema):
    series_id = fields.UUID(required=True)
    booked = fields.List(fields.Nested(AppointmentSchema), required=True)
    refused = fields.List(fields.Nested(RefusedOccurrenceSchema), required=True)


class RescheduleSchema(ma.Schema):
    start = moment(required=True, validate=on_the_minute)
    practitioner_id = fields.UUID(load_default=None, allow_none=True)
    location_id = fields.UUID(load_default=None, allow_none=True)
    off_grid = fields.Boolean(load_default=False, metadata={
        "description": "true to book a start off the schedule's slot grid deliberately (10:07 on a 15-minute "
                       "grid); otherwise such a start is refused with 422 (reason off-grid)"})


class StatusChangeSchema(ma.Schema):
    status = fields.String(required=True, validate=validate.OneOf(APPOINTMENT_STATUSES))
    reason_code = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(CLIENT_CANCEL_REASONS),
                                metadata={"description": "Why (required to cancel)"})

    @validates_schema
    def _reason(self, data, **_kwargs):
        if data["status"] == "cancelled" and not data.get("reason_code"):
            raise ma.ValidationError("required to cancel", "reason_code")


class AppointmentQuery(PageArgs):
    patient_id = fields.UUID()
    practitioner_id = fields.UUID()
    location_id = fields.UUID()
    series_id = fields.UUID()
    plan_activity_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(APPOINTMENT_STATUSES))
    appointment_type_code = fields.String(validate=validate.Length(max=60))
    start_from = moment()
    start_before = moment()
