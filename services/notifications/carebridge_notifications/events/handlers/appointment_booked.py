"""An appointment was booked: the patient and consenting family hear."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-booked", version=1, batch=True)
def confirm_booking(session, events):
    fan_out_many(session, events)
