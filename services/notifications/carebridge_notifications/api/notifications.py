"""A patient's notification history: /notifications?patient_id=..."""
from flask.views import MethodView

from carebridge.auth.roles import STAFF_ROLES
from carebridge.web import Blueprint, page_of, paged, patient_access, patient_scoped, request_session, require_roles

from ..service_layer import history, inbox
from .schemas.notifications import HistoryArgs, NotificationSchema

blp = Blueprint("notifications", __name__, url_prefix="/notifications",
                description="Who was told what about a patient, when, on which channel, delivered or not")


@blp.route("")
class PatientHistory(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="listPatientNotifications")
    @blp.arguments(HistoryArgs, location="query")
    @blp.response(200, paged(NotificationSchema))
    def get(self, args):
        """List a patient's notification history

        Newest first; for coordinators and the care team."""
        patient_access(args["patient_id"], action="read", resource_type="notification-history")
        return page_of(request_session(), history.notifications_about(
            args["patient_id"], event_type=args.get("event_type"), category=args.get("category"),
            recipient_type=args.get("recipient_type")), args)


@blp.route("/<uuid:notification_id>")
class NotificationById(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="getNotification")
    @blp.response(200, NotificationSchema)
    def get(self, notification_id):
        """Read a notification with its deliveries"""
        notification = inbox.find(request_session(), notification_id)
        patient_access(notification.patient_id, action="read", resource_type="notification",
                       resource_id=notification.id)
        return notification
