"""/medication-alerts: the medication safety findings kept with plan versions."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.errors import NotFoundError
from carebridge.web import Blueprint, page_of, paged, patient_access, patient_scoped, request_session, require_roles

from ..persistence.models import MedicationAlert
from .access import READERS, audit_search, only_visible_patients
from .schemas.alerts import AlertListArgs, MedicationAlertSchema

blp = Blueprint("medication-alerts", __name__, url_prefix="/medication-alerts",
                description="Drug interactions, duplicate therapy and allergy conflicts found in plans.")


@blp.route("")
class MedicationAlerts(MethodView):
    @require_roles(*READERS)
    @blp.arguments(AlertListArgs, location="query")
    @blp.response(200, paged(MedicationAlertSchema))
    def get(self, args):
        """Findings, newest first."""
        audit_search("medication-alert", args.get("patient_id"))
        statement = only_visible_patients(select(MedicationAlert), MedicationAlert.patient_id)
        for name in ("patient_id", "plan_id"):
            if args.get(name):
                statement = statement.where(getattr(MedicationAlert, name) == args[name])
        for name in ("kind", "severity", "outcome"):
            if args.get(name):
                statement = statement.where(getattr(MedicationAlert, name).in_(args[name]))
        return page_of(request_session(),
                       statement.order_by(MedicationAlert.detected_at.desc(), MedicationAlert.id), args)


@blp.route("/<uuid:alert_id>")
class MedicationAlertById(MethodView):
    @patient_scoped
    @require_roles(*READERS)
    @blp.response(200, MedicationAlertSchema)
    def get(self, alert_id):
        alert = request_session().get(MedicationAlert, alert_id)
        if alert is None:
            raise NotFoundError("No such medication alert.")
        patient_access(alert.patient_id, action="read", resource_type="medication-alert", resource_id=alert.id)
        return alert
