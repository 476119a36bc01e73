"""An appointment moved: the patient and consenting family hear the new time."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-rescheduled", version=1, batch=True)
def announce_new_time(session, events):
    fan_out_many(session, events)
