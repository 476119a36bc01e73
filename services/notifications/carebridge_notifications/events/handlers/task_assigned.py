"""A task was assigned: its owner hears."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("careplans.task-assigned", version=1, batch=True)
def tell_task_owner(session, events):
    fan_out_many(session, events)
