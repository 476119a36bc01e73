"""A task is overdue: its owner and the team lead hear."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("careplans.task-overdue", version=1)
def chase_overdue_task(session, event):
    fan_out(session, event)
