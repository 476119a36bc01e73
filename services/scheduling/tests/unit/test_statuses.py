"""Every pair of FHIR statuses: the allowed moves pass, every other is a 409
naming the allowed ones."""
import itertools

import pytest

from carebridge.errors import InvalidTransition
from carebridge.events.catalogue.scheduling import APPOINTMENT_STATUSES
from carebridge_scheduling.domain.statuses import OCCUPYING, TRANSITIONS, check_transition

ALLOWED = {
    ("proposed", "pending"), ("proposed", "booked"), ("proposed", "cancelled"), ("proposed", "entered-in-error"),
    ("pending", "booked"), ("pending", "cancelled"), ("pending", "entered-in-error"),
    ("waitlist", "proposed"), ("waitlist", "pending"), ("waitlist", "booked"), ("waitlist", "cancelled"),
    ("waitlist", "entered-in-error"),
    ("booked", "arrived"), ("booked", "checked-in"), ("booked", "cancelled"), ("booked", "noshow"),
    ("booked", "entered-in-error"),
    ("arrived", "checked-in"), ("arrived", "fulfilled"), ("arrived", "entered-in-error"),
    ("checked-in", "fulfilled"), ("checked-in", "entered-in-error"),
    ("noshow", "arrived"), ("noshow", "checked-in"), ("noshow", "fulfilled"), ("noshow", "entered-in-error"),
    ("fulfilled", "entered-in-error"), ("cancelled", "entered-in-error"),
}


@pytest.mark.parametrize("current,requested", list(itertools.product(APPOINTMENT_STATUSES, repeat=2)))
def test_every_transition(current, requested):
    if (current, requested) in ALLOWED:
        check_transition(current, requested)
        return
    with pytest.raises(InvalidTransition) as refused:
        check_transition(current, requested)
    assert refused.value.status == 409
    assert refused.value.extensions["allowed"] == sorted(b for a, b in ALLOWED if a == current)


def test_the_machine_covers_the_fhir_status_set_and_entered_in_error_is_final():
    assert set(TRANSITIONS) == set(APPOINTMENT_STATUSES)
    assert TRANSITIONS["entered-in-error"] == frozenset()
    assert "noshow" not in OCCUPYING and "cancelled" not in OCCUPYING and "booked" in OCCUPYING
