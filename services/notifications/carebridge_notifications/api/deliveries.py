"""The delivery queue for operations: /deliveries"""
from flask.views import MethodView

from carebridge.web import (Blueprint, audited_search, page_of, paged, patient_access, patient_scoped, request_session,
                            require_roles)

from ..service_layer import deliveries
from .roles import OPERATIONS
from .schemas.deliveries import DeliveryArgs, DeliveryDetailSchema

blp = Blueprint("deliveries", __name__, url_prefix="/deliveries",
                description="Email, SMS and webhook deliveries by status; sending a failed one again")


@blp.route("")
class Deliveries(MethodView):
    @require_roles(*OPERATIONS)
    @blp.doc(operationId="listDeliveries")
    @blp.arguments(DeliveryArgs, location="query")
    @blp.response(200, paged(DeliveryDetailSchema))
    def get(self, args):
        """List deliveries in one status

        Failed by default; most recently changed first."""
        visible = audited_search("delivery")
        return page_of(request_session(), deliveries.deliveries_in(args["status"], args.get("channel"),
                                                                   visible_patients=visible), args,
                       patient_of=lambda delivery: delivery.notification.patient_id)


@blp.route("/<uuid:delivery_id>")
class DeliveryById(MethodView):
    @patient_scoped
    @require_roles(*OPERATIONS)
    @blp.doc(operationId="getDelivery")
    @blp.response(200, DeliveryDetailSchema)
    def get(self, delivery_id):
        """Read a delivery"""
        delivery = deliveries.find(request_session(), delivery_id)
        patient_access(delivery.notification.patient_id, action="read", resource_type="delivery",
                       resource_id=delivery.id)
        return delivery


@blp.route("/<uuid:delivery_id>/retry")
class SendAgain(MethodView):
    @patient_scoped
    @require_roles(*OPERATIONS)
    @blp.doc(operationId="retryDelivery")
    @blp.response(200, DeliveryDetailSchema)
    def post(self, delivery_id):
        """Send a failed or bounced delivery again

        To the address on file now."""
        session = request_session()
        delivery = deliveries.find(session, delivery_id)
        patient_access(delivery.notification.patient_id, action="update", resource_type="delivery",
                       resource_id=delivery.id)
        return deliveries.send_again(session, delivery)
