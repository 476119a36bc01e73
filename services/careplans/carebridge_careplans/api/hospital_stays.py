"""/hospital-stays: admissions and discharges; a discharge opens the
post-discharge check-in and medication reconciliation."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.db import where_equal
from carebridge.web import (Blueprint, idempotent, page_of, paged, patient_access, patient_scoped, request_session,
                            require_roles)

from ..persistence.models import HospitalStay
from ..service_layer import hospital_stays
from .access import actor
from .examples import DISCHARGE, DISCHARGED_STAY, HOSPITAL_STAY, NEW_HOSPITAL_STAY
from .schemas.hospital_stays import DischargeSchema, HospitalStayCreateSchema, HospitalStayListArgs, HospitalStaySchema

blp = Blueprint("hospital-stays", __name__, url_prefix="/hospital-stays",
                description="Hospital stays; a discharge opens the post-discharge check-in and medication "
                            "reconciliation.")
RESOURCE = "hospital-stay"


@blp.route("")
class HospitalStays(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listHospitalStays")
    @blp.arguments(HospitalStayListArgs, location="query")
    @blp.response(200, paged(HospitalStaySchema))
    def get(self, args):
        """List a patient's hospital stays

        Latest admission first."""
        patient_access(args["patient_id"], action="search", resource_type=RESOURCE)
        statement = where_equal(select(HospitalStay), HospitalStay, args, ("patient_id",))
        return page_of(request_session(), statement.order_by(HospitalStay.admitted_at.desc(), HospitalStay.id),
                       args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="recordHospitalStay")
    @blp.arguments(HospitalStayCreateSchema, example=NEW_HOSPITAL_STAY)
    @blp.response(201, HospitalStaySchema, example=HOSPITAL_STAY)
    def post(self, data):
        """Record a hospital stay

        An admission, with its discharge when it already happened (which opens the post-discharge work)."""
        patient_access(data["patient_id"], action="create", resource_type=RESOURCE)
        return hospital_stays.record_stay(request_session(), data, actor())


@blp.route("/<uuid:stay_id>")
class HospitalStayById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getHospitalStay")
    @blp.response(200, HospitalStaySchema, example=HOSPITAL_STAY)
    def get(self, stay_id):
        """Read a hospital stay"""
        stay = hospital_stays.load_stay(request_session(), stay_id)
        patient_access(stay.patient_id, action="read", resource_type=RESOURCE, resource_id=stay.id)
        return stay


@blp.route("/<uuid:stay_id>/discharge")
class Discharge(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @blp.doc(operationId="recordHospitalDischarge")
    @blp.arguments(DischargeSchema, example=DISCHARGE)
    @blp.response(200, HospitalStaySchema, example=DISCHARGED_STAY)
    def post(self, data, stay_id):
        """Record a discharge

        Opens a check-in with the patient due within 48 hours and a medication reconciliation for the
        team's nurse; 409 when the stay already has its discharge."""
        session = request_session()
        stay = hospital_stays.load_stay(session, stay_id)
        patient_access(stay.patient_id, action="update", resource_type=RESOURCE, resource_id=stay.id)
        return hospital_stays.record_discharge(session, stay, data["discharged_at"],
                                               data.get("discharge_disposition"), actor())
