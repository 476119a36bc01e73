"""A waitlisted patient is offered an earlier slot: they and consenting family hear."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("scheduling.waitlist-offered", version=1, batch=True)
def offer_earlier_slot(session, events):
    fan_out_many(session, events)
