"""/adherence: doses taken or missed, and how well a patient keeps to their
medicines."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.db import where_equal
from carebridge.web import (Blueprint, idempotent, page_of, paged, patient_access, patient_scoped, request_session,
                            require_roles)

from ..persistence.models import DoseRecord
from ..service_layer import adherence
from .access import actor
from .examples import DOSE, NEW_DOSE
from .schemas.adherence import AdherenceArgs, AdherenceSummarySchema, DoseCreateSchema, DoseListArgs, DoseSchema

blp = Blueprint("adherence", __name__, url_prefix="/adherence",
                description="Doses reported by the patient, a caregiver or staff; adherence per medication.")


@blp.route("/doses")
class Doses(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listDoses")
    @blp.arguments(DoseListArgs, location="query")
    @blp.response(200, paged(DoseSchema))
    def get(self, args):
        """List a patient's recorded doses

        Latest first."""
        patient_access(args["patient_id"], action="search", resource_type="dose-record")
        statement = where_equal(select(DoseRecord), DoseRecord, args, ("patient_id", "activity_id"))
        return page_of(request_session(),
                       statement.order_by(DoseRecord.scheduled_for.desc(), DoseRecord.id), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="recordDose")
    @blp.arguments(DoseCreateSchema, example=NEW_DOSE)
    @blp.response(201, DoseSchema, example=DOSE)
    def post(self, data):
        """Record a dose taken, missed or skipped

        Missed doses of one medication over the threshold open an adherence review task."""
        session = request_session()
        activity = adherence.medication_activity(session, data["activity_id"])
        patient_access(activity.patient_id, action="create", resource_type="dose-record", resource_id=activity.id)
        record, review = adherence.record_dose(session, activity, data, actor())
        return {**{c.key: getattr(record, c.key) for c in DoseRecord.__table__.columns},
                "review_task_id": review.id if review else None}


@blp.route("/summary")
class AdherenceSummary(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getAdherenceSummary")
    @blp.arguments(AdherenceArgs, location="query")
    @blp.response(200, AdherenceSummarySchema)
    def get(self, args):
        """Summarise a patient's adherence

        Doses taken, missed and skipped per medication over the last days."""
        patient_access(args["patient_id"], action="read", resource_type="adherence-summary")
        return adherence.summary(request_session(), args["patient_id"], args["days"])
