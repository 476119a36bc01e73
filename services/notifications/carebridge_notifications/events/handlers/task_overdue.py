"""A task is overdue: its owner and the team lead hear."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("careplans.task-overdue", version=1, batch=True)
def chase_overdue_task(session, events):
    fan_out_many(session, events)
