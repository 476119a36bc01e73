"""Escalates urgent notifications nobody acknowledged in time."""
from carebridge import clock
from carebridge.service import PeriodicJob

from ..service_layer.escalations import escalate_due
from ..settings import notification_settings


def escalate_unacknowledged(runtime) -> int:
    with runtime.db.transaction() as session:
        return escalate_due(session, now=clock.now(), config=notification_settings(runtime))


ESCALATE = PeriodicJob("escalate-unacknowledged", every=5.0, run=escalate_unacknowledged)
