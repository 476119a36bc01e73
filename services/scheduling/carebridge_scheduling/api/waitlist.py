"""/waitlist: patients waiting for an earlier slot."""
from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.web import (Blueprint, PageArgs, audited_search, dump, idempotent, page_of, paged, patient_access,
                            patient_scoped, request_session, require_roles, with_etag)

from ..service_layer import waitlist
from ..service_layer.waitlist_offers import STATUSES
from .appointment_schemas import AppointmentSchema
from .common import created, moment, subject
from .examples import NEW_WAITLIST_ENTRY, WAITLIST_ENTRY

blp = Blueprint("waitlist", __name__, url_prefix="/waitlist",
                description="Patients waiting for an earlier slot; a freed slot is offered and held for the first")

RESOURCE = "waitlist-entry"


class OfferSchema(ma.Schema):
    appointment_id = fields.UUID(attribute="id")
    start = moment(attribute="start_at")
    end = moment(attribute="end_at")
    location_id = fields.UUID()
    hold_expires_at = moment()


class HeldOffer(fields.Nested):
    """The entry's offer, looked up when the entry is shown (a Nested field,
    so that the document describes it as an Offer)."""

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return waitlist.offered_hold(request_session(), obj)


class WaitlistEntrySchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    patient_id = fields.UUID(required=True)
    practitioner_id = fields.UUID(required=True)
    appointment_type_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    location_id = fields.UUID(load_default=None, allow_none=True)
    not_before = moment(load_default=None, allow_none=True)
    wanted_before = moment(required=True, metadata={"description": "Offer only slots starting before this"})
    care_plan_id = fields.UUID(load_default=None, allow_none=True)
    plan_activity_id = fields.UUID(load_default=None, allow_none=True)
    status = fields.String(dump_only=True, validate=validate.OneOf(STATUSES))
    booked_appointment_id = fields.UUID(dump_only=True, allow_none=True)
    offer = HeldOffer(OfferSchema, dump_only=True, allow_none=True,
                      metadata={"description": "The slot held for the patient, while one is"})
    version = fields.Integer(dump_only=True)
    created_at = moment(dump_only=True)


class WaitlistQuery(PageArgs):
    patient_id = fields.UUID()
    practitioner_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))


_appointment = AppointmentSchema()
_waitlist_entry = WaitlistEntrySchema()


def _reply(entry):
    return with_etag(dump(_waitlist_entry, entry), entry.version)


def _load_for(entry_id, action: str):
    session = request_session()
    entry = waitlist.get(session, entry_id)
    patient_access(entry.patient_id, action=action, resource_type=RESOURCE, resource_id=entry.id)
    return session, entry


@blp.route("")
class Waitlist(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listWaitlistEntries")
    @blp.arguments(WaitlistQuery, location="query")
    @blp.response(200, paged(WaitlistEntrySchema))
    def get(self, args):
        """List waitlist entries

        First in line first."""
        visible = audited_search(RESOURCE, args.get("patient_id"))
        return page_of(request_session(), waitlist.search(args, visible), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="addWaitlistEntry")
    @blp.arguments(WaitlistEntrySchema, example=NEW_WAITLIST_ENTRY)
    @blp.response(201, WaitlistEntrySchema, example=WAITLIST_ENTRY)
    def post(self, data):
        """Put a patient on the waitlist"""
        entry_id = uuid.uuid4()
        patient_access(data["patient_id"], action="create", resource_type=RESOURCE, resource_id=entry_id)
        entry = waitlist.add(request_session(), data, entry_id=entry_id, by=subject())
        return created(dump(_waitlist_entry, entry), f"/waitlist/{entry.id}", entry.version)


@blp.route("/<uuid:entry_id>")
class WaitlistEntryById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getWaitlistEntry")
    @blp.response(200, WaitlistEntrySchema, example=WAITLIST_ENTRY)
    def get(self, entry_id):
        """Read a waitlist entry

        With the slot on offer, if any."""
        _session, entry = _load_for(entry_id, "read")
        return _reply(entry)


@blp.route("/<uuid:entry_id>/accept")
class AcceptOffer(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @blp.doc(operationId="acceptWaitlistOffer")
    @blp.response(200, AppointmentSchema)
    def post(self, entry_id):
        """Accept the slot on offer

        The patient takes it and it is booked (409 if the offer expired)."""
        session, entry = _load_for(entry_id, "update")
        appointment = waitlist.accept(session, entry, by=subject())
        return with_etag(dump(_appointment, appointment), appointment.version)


@blp.route("/<uuid:entry_id>/decline")
class DeclineOffer(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @blp.doc(operationId="declineWaitlistOffer")
    @blp.response(200, WaitlistEntrySchema)
    def post(self, entry_id):
        """Decline the slot on offer

        The patient keeps waiting; the slot passes on."""
        session, entry = _load_for(entry_id, "update")
        return _reply(waitlist.decline(session, entry, by=subject()))


@blp.route("/<uuid:entry_id>/withdraw")
class WithdrawEntry(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @blp.doc(operationId="withdrawWaitlistEntry")
    @blp.response(200, WaitlistEntrySchema)
    def post(self, entry_id):
        """Take a patient off the waitlist

        A slot on offer passes on."""
        session, entry = _load_for(entry_id, "update")
        return _reply(waitlist.withdraw(session, entry, by=subject()))
