"""A claim was denied: the billing staff hear."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("billing.claim-denied", version=1)
def tell_billing_claim_denied(session, event):
    fan_out(session, event)
