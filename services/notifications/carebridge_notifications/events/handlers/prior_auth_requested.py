"""A prior authorization was requested: a task for the billing staff."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("billing.prior-auth-requested", version=1)
def ask_billing_to_follow_up(session, event):
    fan_out(session, event)
