"""/medication-alerts: the medication safety findings kept with plan versions."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS
from carebridge.db import among_patients, get_or_404, where_equal
from carebridge.web import (Blueprint, audited_search, page_of, paged, patient_access, patient_scoped,
                            request_session, require_roles)

from ..persistence.models import MedicationAlert
from .schemas.alerts import AlertListArgs, MedicationAlertSchema

blp = Blueprint("medication-alerts", __name__, url_prefix="/medication-alerts",
                description="Drug interactions, duplicate therapy and allergy conflicts found in plans.")


@blp.route("")
class MedicationAlerts(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listMedicationAlerts")
    @blp.arguments(AlertListArgs, location="query")
    @blp.response(200, paged(MedicationAlertSchema))
    def get(self, args):
        """List medication safety findings

        Newest first."""
        visible = audited_search("medication-alert", args.get("patient_id"))
        statement = among_patients(select(MedicationAlert), MedicationAlert.patient_id, visible)
        statement = where_equal(statement, MedicationAlert, args, ("patient_id", "plan_id"))
        for name in ("kind", "severity", "outcome"):
            if args.get(name):
                statement = statement.where(getattr(MedicationAlert, name).in_(args[name]))
        return page_of(request_session(),
                       statement.order_by(MedicationAlert.detected_at.desc(), MedicationAlert.id), args)


@blp.route("/<uuid:alert_id>")
class MedicationAlertById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getMedicationAlert")
    @blp.response(200, MedicationAlertSchema)
    def get(self, alert_id):
        """Read a medication safety finding"""
        alert = get_or_404(request_session(), MedicationAlert, alert_id, "medication alert")
        patient_access(alert.patient_id, action="read", resource_type="medication-alert", resource_id=alert.id)
        return alert
