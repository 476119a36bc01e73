"""Periodic work of the notifications worker."""
from .deliveries import SEND_DELIVERIES
from .escalations import ESCALATE

JOBS = [SEND_DELIVERIES, ESCALATE]
