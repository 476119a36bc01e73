"""Webhook subscriptions of staff apps: /webhook-subscriptions (admins)."""
from flask import Response
from flask.views import MethodView

from carebridge.web import (Blueprint, PageArgs, current_principal, current_runtime, documented_if_match, dump,
                            idempotent, page_of, paged, request_session, require_if_match, require_roles, with_etag)

from ..service_layer import webhook_subscriptions as subscriptions
from .examples import NEW_SUBSCRIPTION, REPLACED_SUBSCRIPTION, SUBSCRIPTION, SUBSCRIPTION_REPLACEMENT
from .roles import INTEGRATORS
from .schemas.webhook_subscriptions import WebhookSubscriptionSchema, WebhookSubscriptionUpdateSchema

_webhook_subscription = WebhookSubscriptionSchema()


blp = Blueprint("webhook_subscriptions", __name__, url_prefix="/webhook-subscriptions",
                description="Staff apps called (signed, HMAC-SHA256) for the event types they choose")


def _require_https() -> bool:
    return current_runtime().service_settings.webhook_require_https


def _target_rule():
    return current_runtime().dependencies.webhook_target_rule


def _answer(subscription, status: int = 200):
    response = with_etag(dump(_webhook_subscription, subscription), subscription.version)
    response.status_code = status
    return response


@blp.route("")
class Subscriptions(MethodView):
    @require_roles(*INTEGRATORS)
    @blp.doc(operationId="listWebhookSubscriptions")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, paged(WebhookSubscriptionSchema))
    def get(self, args):
        """List every webhook subscription

        Oldest first."""
        return page_of(request_session(), subscriptions.listing(), args)

    @require_roles(*INTEGRATORS)
    @idempotent
    @blp.doc(operationId="createWebhookSubscription")
    @blp.arguments(WebhookSubscriptionSchema, example=NEW_SUBSCRIPTION)
    @blp.response(201, WebhookSubscriptionSchema, example=SUBSCRIPTION)
    def post(self, data):
        """Subscribe a URL to some event types"""
        subscription = subscriptions.create(request_session(), data, by=current_principal().subject,
                                            require_https=_require_https(),
                                            target_rule=_target_rule())
        response = _answer(subscription, 201)
        response.headers["Location"] = f"/webhook-subscriptions/{subscription.id}"
        return response


@blp.route("/<uuid:subscription_id>")
class SubscriptionById(MethodView):
    @require_roles(*INTEGRATORS)
    @blp.doc(operationId="getWebhookSubscription")
    @blp.response(200, WebhookSubscriptionSchema, example=SUBSCRIPTION)
    def get(self, subscription_id):
        """Read a webhook subscription

        Never its secret."""
        return _answer(subscriptions.find(request_session(), subscription_id))

    @require_roles(*INTEGRATORS)
    @documented_if_match
    @blp.doc(operationId="replaceWebhookSubscription")
    @blp.arguments(WebhookSubscriptionUpdateSchema, example=SUBSCRIPTION_REPLACEMENT)
    @blp.response(200, WebhookSubscriptionSchema, example=REPLACED_SUBSCRIPTION)
    def put(self, data, subscription_id):
        """Replace a webhook subscription

        The secret changes only when a new one is given."""
        session = request_session()
        subscription = subscriptions.find(session, subscription_id)
        require_if_match(subscription.version)
        subscriptions.replace(session, subscription, data, require_https=_require_https(),
                              target_rule=_target_rule())
        return _answer(subscription)

    @require_roles(*INTEGRATORS)
    @documented_if_match
    @blp.doc(operationId="deleteWebhookSubscription")
    @blp.response(204)
    def delete(self, subscription_id):
        """Remove a webhook subscription

        Calls not yet made are cancelled."""
        session = request_session()
        subscription = subscriptions.find(session, subscription_id)
        require_if_match(subscription.version)
        subscriptions.delete(session, subscription)
        return Response(status=204)
