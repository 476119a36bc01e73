"""/enrolments: patients enrolled in remote monitoring, their devices, limits and rules."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.db import among_patients, where_equal
from carebridge.web import (Blueprint, audited_search, documented_if_match, dump, idempotent, page_of, paged,
                            patient_access, patient_scoped, request_session, require_if_match, require_roles, with_etag)

from ..persistence.models import Enrolment
from ..service_layer import enrolments
from .common import actor, created
from .examples import ENDING, ENROLMENT, LIMITS_CHANGE, NEW_ENROLMENT
from .schemas import EndingSchema, EnrolmentCreateSchema, EnrolmentListArgs, EnrolmentSchema, LimitsChangeSchema

_enrolment = EnrolmentSchema()


blp = Blueprint("enrolments", __name__, url_prefix="/enrolments",
                description="Patients enrolled in remote monitoring: measures, device, consent, limits and rules")

RESOURCE = "monitoring-enrolment"


def _reply(enrolment: Enrolment):
    return with_etag(dump(_enrolment, enrolment), enrolment.version)


def _load(enrolment_id, action: str) -> Enrolment:
    enrolment = enrolments.load_enrolment(request_session(), enrolment_id)
    patient_access(enrolment.patient_id, action=action, resource_type=RESOURCE, resource_id=enrolment.id)
    return enrolment


@blp.route("")
class Enrolments(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listMonitoringEnrolments")
    @blp.arguments(EnrolmentListArgs, location="query")
    @blp.response(200, paged(EnrolmentSchema))
    def get(self, args):
        """List monitoring enrolments

        Newest first; one patient's with ?patient_id=."""
        visible = audited_search(RESOURCE, args.get("patient_id"))
        statement = among_patients(select(Enrolment), Enrolment.patient_id, visible)
        statement = where_equal(statement, Enrolment, args, ("patient_id", "status"))
        return page_of(request_session(), statement.order_by(Enrolment.started_at.desc(), Enrolment.id), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="enrolInMonitoring")
    @blp.arguments(EnrolmentCreateSchema, example=NEW_ENROLMENT)
    @blp.response(201, EnrolmentSchema, example=ENROLMENT)
    def post(self, data):
        """Enrol a patient in remote monitoring

        The condition's default limits and trend rules apply unless given; the
        device's readings reach this patient from now on (409 if the device is
        on another active enrolment)."""
        patient_access(data["patient_id"], action="create", resource_type=RESOURCE)
        enrolment = enrolments.enrol(request_session(), data, actor())
        return created(dump(_enrolment, enrolment), f"/enrolments/{enrolment.id}", enrolment.version)


@blp.route("/<uuid:enrolment_id>")
class EnrolmentById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getMonitoringEnrolment")
    @blp.response(200, EnrolmentSchema, example=ENROLMENT)
    def get(self, enrolment_id):
        """Read a monitoring enrolment"""
        return _reply(_load(enrolment_id, "read"))


@blp.route("/<uuid:enrolment_id>/limits")
class EnrolmentLimits(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="setMonitoringLimits")
    @blp.arguments(LimitsChangeSchema, example=LIMITS_CHANGE)
    @blp.response(200, EnrolmentSchema, example=ENROLMENT)
    def put(self, data, enrolment_id):
        """Set the limits and rules of an enrolment

        The limits replace the previous ones; rules too when given."""
        enrolment = _load(enrolment_id, "update")
        require_if_match(enrolment.version)
        return _reply(enrolments.set_limits(request_session(), enrolment, data))


@blp.route("/<uuid:enrolment_id>/end")
class EndEnrolment(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="endMonitoringEnrolment")
    @blp.arguments(EndingSchema, example=ENDING)
    @blp.response(200, EnrolmentSchema, example=ENROLMENT)
    def post(self, data, enrolment_id):
        """End a monitoring enrolment

        No more readings are taken for it and its open alerts close."""
        enrolment = _load(enrolment_id, "update")
        require_if_match(enrolment.version)
        return _reply(enrolments.end_enrolment(request_session(), enrolment, reason=data["reason"], actor=actor()))
