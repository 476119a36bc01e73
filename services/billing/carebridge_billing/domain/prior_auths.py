"""The prior-authorization lifecycle and its units.

    requested --> pended (more information needed) --> approved | denied
        '-----------------------------------------> approved | denied
    approved --(expiry date passed)--> expired
    requested | pended --(the visits it was for were cancelled)--> withdrawn

An approved authorization covers `authorized_units` visits of its service
until `expires_on` (inclusive). Each booked visit reserves a unit; a
completed visit uses it; a cancelled or missed one gives it back.
"""
from __future__ import annotations

from datetime import date

from .lifecycle import Lifecycle

PRIOR_AUTH_LIFECYCLE = Lifecycle.of({
    "requested": ("pended", "approved", "denied", "withdrawn"),
    "pended": ("approved", "denied", "withdrawn"),
    "approved": ("expired",),
    "denied": (),
    "expired": (),
    "withdrawn": (),
})
PRIOR_AUTH_STATUSES = PRIOR_AUTH_LIFECYCLE.statuses
OPEN = ("requested", "pended")
ALLOCATION_STATES = ("reserved", "used", "released")


def is_valid_on(status: str, expires_on: date | None, on: date) -> bool:
    return status == "approved" and expires_on is not None and on <= expires_on


def units_free(authorized_or_requested: int, held: int) -> int:
    """Units not yet reserved or used."""
    return max(0, authorized_or_requested - held)
