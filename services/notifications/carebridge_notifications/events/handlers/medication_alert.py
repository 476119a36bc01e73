"""A medication safety alert: prescriber and nurses hear, urgently when major or contraindicated."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("careplans.medication-alert", version=1, batch=True)
def alert_prescriber_and_nurses(session, events):
    fan_out_many(session, events)
