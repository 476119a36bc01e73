"""HTTP endpoints of the notifications service."""
from . import (deliveries, duty_rota, escalations, fhir, inbox, notifications, preferences, recipients,
               webhook_subscriptions)


def register_api(api) -> None:
    """Register every blueprint of this service on the flask-smorest Api."""
    for module in (inbox, notifications, preferences, webhook_subscriptions, escalations, deliveries, recipients,
                   duty_rota, fhir):
        api.register_blueprint(module.blp)
