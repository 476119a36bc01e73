from carebridge.jobs import PeriodicJob, sweep

from ..service_layer.sweeps import mark_missed

# Booked visits past start + grace without check-in become no-shows.
MISSED_APPOINTMENTS = PeriodicJob("mark-missed-appointments", every=30,
                                  run=sweep(mark_missed, done="marked missed appointments as no-shows"))
