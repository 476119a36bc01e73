"""The payer decided on a prior authorization: the care team, the patient and consenting family hear."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("billing.prior-auth-decided", version=1)
def tell_decision(session, event):
    fan_out(session, event)
