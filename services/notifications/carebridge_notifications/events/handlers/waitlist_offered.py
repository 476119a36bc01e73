"""A waitlisted patient is offered an earlier slot: they and consenting family hear."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.waitlist-offered", version=1)
def offer_earlier_slot(session, event):
    fan_out(session, event)
