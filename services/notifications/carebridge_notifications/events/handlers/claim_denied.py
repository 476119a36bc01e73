"""A claim was denied: the billing staff hear."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("billing.claim-denied", version=1, batch=True)
def tell_billing_claim_denied(session, events):
    fan_out_many(session, events)
