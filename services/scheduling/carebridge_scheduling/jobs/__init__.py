"""Periodic sweeps, run by the worker (several workers may run them at once).

Each run is one short transaction that claims its rows; a run with nothing
to do writes nothing and logs nothing."""
from .missed_appointments import MISSED_APPOINTMENTS
from .reminders import APPOINTMENT_REMINDERS
from .waitlist_holds import EXPIRED_WAITLIST_HOLDS

JOBS = [MISSED_APPOINTMENTS, APPOINTMENT_REMINDERS, EXPIRED_WAITLIST_HOLDS]
