"""An appointment was cancelled: the patient and consenting family hear."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-cancelled", version=1)
def announce_cancellation(session, event):
    fan_out(session, event)
