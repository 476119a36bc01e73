"""Every event a routing rule names (`domain/routing_rules.RULES`): who hears
it, on which channels, in which words; a burst of one type at a time."""
from ...service_layer.fan_out import fan_out_many


def notify_audiences(session, events):
    fan_out_many(session, events)
