"""Publish careplans.task-overdue once per overdue task, every minute."""
from ..service_layer.overdue_tasks import announce_overdue_tasks
from . import periodic_sweep

OVERDUE_TASKS = periodic_sweep("overdue-tasks", 60, announce_overdue_tasks, "overdue tasks announced")
