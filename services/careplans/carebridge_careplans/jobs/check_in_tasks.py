"""Open the check-in tasks that plans' check-in activities call for when they
fall due, every five minutes."""
from ..service_layer.check_in_schedule import open_due_check_ins
from . import periodic_sweep

CHECK_IN_TASKS = periodic_sweep("check-in-tasks", 300, open_due_check_ins, "check-in tasks opened")
