"""Escalates urgent notifications nobody acknowledged in time (all due
escalations in one transaction)."""
from carebridge.jobs import PeriodicJob, sweep

from ..service_layer.escalations import escalate_due

escalate_unacknowledged = sweep(escalate_due, done="unacknowledged urgent notifications escalated")

ESCALATE = PeriodicJob("escalate-unacknowledged", every=5.0, run=escalate_unacknowledged)
