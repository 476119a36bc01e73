"""Sends the email, SMS and webhook deliveries that are due (every second:
a query that finds nothing when there is nothing to do, and no log line)."""
from carebridge.service import PeriodicJob

from ..channels.senders import channel_senders
from ..service_layer.sending import send_due


def send_due_deliveries(runtime) -> int:
    return send_due(runtime, channel_senders(runtime))


SEND_DELIVERIES = PeriodicJob("send-deliveries", every=1.0, run=send_due_deliveries)
