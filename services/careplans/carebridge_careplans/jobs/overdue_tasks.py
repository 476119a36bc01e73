"""Publish careplans.task-overdue once per overdue task, every minute."""
from carebridge.jobs import PeriodicJob, sweep

from ..service_layer.overdue_tasks import announce_overdue_tasks

OVERDUE_TASKS = PeriodicJob("overdue-tasks", every=60,
                            run=sweep(announce_overdue_tasks, done="overdue tasks announced"))
