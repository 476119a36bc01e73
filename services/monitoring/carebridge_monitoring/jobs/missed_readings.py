"""Open a missed-readings alert for enrolments whose readings stopped, every 15 minutes."""
from carebridge.jobs import PeriodicJob, sweep

from ..service_layer.missed_readings import open_missed_readings_alerts

MISSED_READINGS = PeriodicJob("missed-readings", every=900,
                              run=sweep(open_missed_readings_alerts, done="missed-readings alerts opened"))
