"""/monitoring-time: minutes of monitoring work by staff (what 99457 and 99458 count)."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.web import (Blueprint, dump, page_of, paged, patient_access, patient_scoped, request_session,
                            require_roles)

from ..persistence.models import TimeEntry
from ..service_layer.enrolments import active_enrolment_of
from ..service_layer.time_entries import record_time
from .common import actor, created
from .examples import NEW_TIME_ENTRY, TIME_ENTRY
from .schemas import PatientListArgs, TimeEntryCreateSchema, TimeEntrySchema

_time_entry = TimeEntrySchema()


blp = Blueprint("monitoring-time", __name__, url_prefix="/monitoring-time",
                description="Minutes of remote monitoring work by staff, per patient")

RESOURCE = "monitoring-time"


@blp.route("")
class TimeEntries(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listMonitoringTime")
    @blp.arguments(PatientListArgs, location="query")
    @blp.response(200, paged(TimeEntrySchema))
    def get(self, args):
        """List a patient's monitoring time"""
        patient_access(args["patient_id"], action="search", resource_type=RESOURCE)
        statement = select(TimeEntry).where(TimeEntry.patient_id == args["patient_id"])
        return page_of(request_session(), statement.order_by(TimeEntry.performed_at.desc(), TimeEntry.id), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @blp.doc(operationId="recordMonitoringTime")
    @blp.arguments(TimeEntryCreateSchema, example=NEW_TIME_ENTRY)
    @blp.response(201, TimeEntrySchema, example=TIME_ENTRY)
    def post(self, data):
        """Record monitoring time

        Against the patient's active enrolment (409 without one)."""
        patient_access(data["patient_id"], action="create", resource_type=RESOURCE)
        session = request_session()
        entry = record_time(session, active_enrolment_of(session, data["patient_id"]), data, actor())
        return created(dump(_time_entry, entry), f"/monitoring-time?patient_id={entry.patient_id}")
