"""/alerts: what the rules found, one per episode, until a clinician records the action."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.db import among_patients, where_equal
from carebridge.web import (Blueprint, audited_search, documented_if_match, dump, page_of, paged, patient_access,
                            patient_scoped, request_session, require_if_match, require_roles, with_etag)

from ..persistence.models import Alert
from ..service_layer import alerts
from .common import actor
from .examples import ALERT, ALERT_ACTION, CLOSED_ALERT
from .schemas import AlertActionSchema, AlertListArgs, AlertListItemSchema, AlertSchema

_alert = AlertSchema()
_LIST_ITEM_FIELDS = tuple(AlertListItemSchema().fields)


blp = Blueprint("alerts", __name__, url_prefix="/alerts",
                description="Alerts opened by the monitoring rules, with the readings behind them")

RESOURCE = "monitoring-alert"


def _reply(alert: Alert):
    body = dump(_alert, {**{c: getattr(alert, c) for c in _LIST_ITEM_FIELDS},
                         "readings": alerts.readings_of(request_session(), alert)})
    return with_etag(body, alert.version)


def _load(alert_id, action: str) -> Alert:
    alert = alerts.load_alert(request_session(), alert_id)
    patient_access(alert.patient_id, action=action, resource_type=RESOURCE, resource_id=alert.id)
    return alert


@blp.route("")
class Alerts(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listMonitoringAlerts")
    @blp.arguments(AlertListArgs, location="query")
    @blp.response(200, paged(AlertListItemSchema))
    def get(self, args):
        """List monitoring alerts

        Newest first; ?status=open for those still waiting for an action."""
        visible = audited_search(RESOURCE, args.get("patient_id"))
        statement = among_patients(select(Alert), Alert.patient_id, visible)
        statement = where_equal(statement, Alert, args, ("patient_id", "status", "severity"))
        return page_of(request_session(), statement.order_by(Alert.opened_at.desc(), Alert.id), args)


@blp.route("/<uuid:alert_id>")
class AlertById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getMonitoringAlert")
    @blp.response(200, AlertSchema, example=ALERT)
    def get(self, alert_id):
        """Read an alert with its readings"""
        return _reply(_load(alert_id, "read"))


@blp.route("/<uuid:alert_id>/actions")
class AlertActions(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="recordAlertAction")
    @blp.arguments(AlertActionSchema, example=ALERT_ACTION)
    @blp.response(200, AlertSchema, example=CLOSED_ALERT)
    def post(self, data, alert_id):
        """Record the action taken on an alert

        The alert closes (409 if it already has), its task on the worklist
        completes, and the minutes given count as monitoring time."""
        alert = _load(alert_id, "update")
        require_if_match(alert.version)
        return _reply(alerts.record_action(request_session(), alert, data, actor()))
