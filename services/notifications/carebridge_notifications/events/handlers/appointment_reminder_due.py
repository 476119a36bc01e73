"""An appointment is coming up: the patient and consenting family are reminded."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-reminder-due", version=1)
def remind_patient(session, event):
    fan_out(session, event)
