"""Periodic sweeps the worker runs (several workers may run them at once:
each sweep claims its rows with conditional UPDATEs)."""
from .check_in_tasks import CHECK_IN_TASKS
from .overdue_tasks import OVERDUE_TASKS

JOBS = [OVERDUE_TASKS, CHECK_IN_TASKS]
