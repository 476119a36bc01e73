"""A prior authorization was requested: a task for the billing staff."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("billing.prior-auth-requested", version=1, batch=True)
def ask_billing_to_follow_up(session, events):
    fan_out_many(session, events)
