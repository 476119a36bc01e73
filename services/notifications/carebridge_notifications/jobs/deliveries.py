"""Sends the email, SMS and webhook deliveries that are due (every second:
a query that finds nothing when there is nothing to do, and no log line).
Each outcome is recorded in a transaction of its own, around a network call
made outside any transaction, so neither `sweep` nor `row_by_row` fits."""
from carebridge.jobs import PeriodicJob

from ..service_layer.sending import send_due


def send_due_deliveries(runtime) -> int:
    return send_due(runtime, runtime.dependencies.senders)


SEND_DELIVERIES = PeriodicJob("send-deliveries", every=1.0, run=send_due_deliveries)
