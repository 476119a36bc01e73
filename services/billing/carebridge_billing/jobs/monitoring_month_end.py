"""Charge remote patient monitoring once a calendar month has ended, checked every 10 minutes."""
from carebridge.jobs import PeriodicJob, sweep

from ..service_layer.monitoring import charge_ended_months

MONITORING_MONTH_END = PeriodicJob("monitoring-month-end", every=600,
                                   run=sweep(charge_ended_months, done="remote monitoring months charged"))
