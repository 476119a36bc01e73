"""An appointment was cancelled: the patient and consenting family hear."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-cancelled", version=1, batch=True)
def announce_cancellation(session, events):
    fan_out_many(session, events)
