"""Periodic sweeps, run by the worker (several workers may run them at once).

Each run is one short transaction that claims its rows; a run with nothing
to do writes nothing and logs nothing."""
from carebridge.service import PeriodicJob

from .missed_appointments import mark_missed_appointments
from .reminders import send_due_reminders
from .waitlist_holds import release_expired_holds

JOBS = [
    PeriodicJob("mark-missed-appointments", every=30, run=mark_missed_appointments),
    PeriodicJob("send-appointment-reminders", every=30, run=send_due_reminders),
    PeriodicJob("release-expired-waitlist-holds", every=30, run=release_expired_holds),
]
