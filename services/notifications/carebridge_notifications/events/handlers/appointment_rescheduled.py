"""An appointment moved: the patient and consenting family hear the new time."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-rescheduled", version=1)
def announce_new_time(session, event):
    fan_out(session, event)
