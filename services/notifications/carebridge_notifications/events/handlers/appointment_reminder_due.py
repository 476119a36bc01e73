"""An appointment is coming up: the patient and consenting family are reminded."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.appointment-reminder-due", version=1, batch=True)
def remind_patient(session, events):
    fan_out_many(session, events)
