"""Adherence: how doses were taken, and when missed doses need a person."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DOSE_OUTCOMES = ("taken", "missed", "skipped")
REPORTERS = ("patient", "caregiver", "staff")
# A skipped dose was left out on purpose (for example on a clinician's
# advice); only a missed one counts against adherence.
COUNTED_AGAINST = frozenset({"missed"})


def needs_review(missed_in_window: int, threshold: int) -> bool:
    """Missed doses over the threshold in the window open an adherence review."""
    return missed_in_window >= threshold


def adherence_rate(taken: int, missed: int) -> Decimal | None:
    """Share of doses taken among those taken or missed, as a percentage with
    one decimal; None when nothing was recorded."""
    counted = taken + missed
    if counted == 0:
        return None
    return (Decimal(taken) * 100 / counted).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
