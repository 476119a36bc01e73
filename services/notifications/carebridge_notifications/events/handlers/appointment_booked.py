"""An appointment was booked: the patient and consenting family hear."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-booked", version=1)
def confirm_booking(session, event):
    fan_out(session, event)
