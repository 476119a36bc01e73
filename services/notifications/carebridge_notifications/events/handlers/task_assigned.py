"""A task was assigned: its owner hears."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("careplans.task-assigned", version=1)
def tell_task_owner(session, event):
    fan_out(session, event)
