"""A missed appointment: urgent to the lead coordinator and nurses; "we missed you, let's rebook" to the patient."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-missed", version=1, batch=True)
def raise_missed_appointment(session, events):
    fan_out_many(session, events)
