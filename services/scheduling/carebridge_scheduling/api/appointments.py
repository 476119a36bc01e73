"""/appointments: booking, recurring courses, moving, the status lifecycle."""
from __future__ import annotations

import uuid

from flask.views import MethodView

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.web import (Blueprint, allow_services, audited_search, documented_if_match, dump, idempotent, page_of,
                            paged, patient_access, patient_scoped, request_session, require_if_match, require_roles,
                            with_etag)

from ..service_layer import appointments, booking, transitions
from .appointment_schemas import (AppointmentQuery, AppointmentSchema, BookingSchema, RescheduleSchema,
                                  SeriesBookingSchema, SeriesOutcomeSchema, StatusChangeSchema)
from .common import created, subject
from .examples import (APPOINTMENT, CANCELLATION, CANCELLED_APPOINTMENT, NEW_BOOKING, NEW_SERIES, RESCHEDULE,
                       RESCHEDULED_APPOINTMENT, SERIES_OUTCOME)

_appointment = AppointmentSchema()
_series_outcome = SeriesOutcomeSchema()


blp = Blueprint("appointments", __name__, url_prefix="/appointments",
                description="Booking, recurring courses, rescheduling and the appointment lifecycle")

RESOURCE = "appointment"


def _reply(appointment):
    return with_etag(dump(_appointment, appointment), appointment.version)


@blp.route("")
class Appointments(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="searchAppointments")
    @blp.arguments(AppointmentQuery, location="query")
    @blp.response(200, paged(AppointmentSchema))
    def get(self, args):
        """Search appointments

        One patient's with ?patient_id=."""
        visible = audited_search(RESOURCE, args.get("patient_id"))
        return page_of(request_session(), appointments.search(args, visible), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="bookAppointment")
    @blp.arguments(BookingSchema, example=NEW_BOOKING)
    @blp.response(201, AppointmentSchema, example=APPOINTMENT)
    def post(self, data):
        """Book a visit

        Send an Idempotency-Key to retry safely."""
        appointment_id = uuid.uuid4()
        patient_access(data["patient_id"], action="create", resource_type=RESOURCE, resource_id=appointment_id)
        appointment = booking.book(request_session(), data, appointment_id=appointment_id, by=subject())
        return created(dump(_appointment, appointment), f"/appointments/{appointment.id}", appointment.version)


@blp.route("/recurring")
class RecurringAppointments(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="bookRecurringAppointments")
    @blp.arguments(SeriesBookingSchema, example=NEW_SERIES)
    @blp.response(201, SeriesOutcomeSchema, example=SERIES_OUTCOME)
    def post(self, data):
        """Book a recurring course

        For example therapy twice a week for six weeks; the answer lists the occurrences booked and
        those refused, with why."""
        series_id = uuid.uuid4()
        patient_access(data["patient_id"], action="create", resource_type="appointment-series",
                       resource_id=series_id)
        outcome = booking.book_series(request_session(), data, series_id=series_id, by=subject())
        return created(dump(_series_outcome, outcome), f"/appointments?series_id={series_id}")


def _load_for(appointment_id, action: str):
    session = request_session()
    appointment = appointments.get(session, appointment_id)
    patient_access(appointment.patient_id, action=action, resource_type=RESOURCE, resource_id=appointment.id)
    return session, appointment


@blp.route("/<uuid:appointment_id>")
class AppointmentById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getAppointment")
    @allow_services("notifications")
    @blp.response(200, AppointmentSchema, example=APPOINTMENT)
    def get(self, appointment_id):
        """Read an appointment

        The notifications service reads it, as itself, for a telehealth visit's join link: the link goes into
        the patient's letter and secure page, never into an event."""
        _session, appointment = _load_for(appointment_id, "read")
        return _reply(appointment)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="rescheduleAppointment")
    @blp.arguments(RescheduleSchema, example=RESCHEDULE)
    @blp.response(200, AppointmentSchema, example=RESCHEDULED_APPOINTMENT)
    def patch(self, data, appointment_id):
        """Reschedule an appointment

        A new start (and perhaps practitioner or location); the id stays."""
        session, appointment = _load_for(appointment_id, "update")
        require_if_match(appointment.version)
        return _reply(appointments.reschedule(session, appointment, data, by=subject()))


@blp.route("/<uuid:appointment_id>/status")
class AppointmentStatus(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="changeAppointmentStatus")
    @blp.arguments(StatusChangeSchema, example=CANCELLATION)
    @blp.response(200, AppointmentSchema, example=CANCELLED_APPOINTMENT)
    def put(self, data, appointment_id):
        """Change an appointment's status

        Check in, complete, cancel (with a reason), mark or correct a no-show... A move the lifecycle
        does not allow is a 409 naming the allowed ones."""
        session, appointment = _load_for(appointment_id, "update")
        require_if_match(appointment.version)
        transitions.change_status(session, appointment, data["status"], by=subject(),
                                  reason_code=data.get("reason_code"))
        return _reply(appointment)
