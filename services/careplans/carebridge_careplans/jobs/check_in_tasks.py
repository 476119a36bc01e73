"""Open the check-in tasks that plans' check-in activities call for when they
fall due, every five minutes."""
from carebridge.jobs import PeriodicJob, sweep

from ..service_layer.check_in_schedule import open_due_check_ins

CHECK_IN_TASKS = PeriodicJob("check-in-tasks", every=300,
                             run=sweep(open_due_check_ins, done="check-in tasks opened"))
