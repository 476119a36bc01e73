"""The payer decided on a prior authorization: the care team, the patient and consenting family hear."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("billing.prior-auth-decided", version=1, batch=True)
def tell_decision(session, events):
    fan_out_many(session, events)
