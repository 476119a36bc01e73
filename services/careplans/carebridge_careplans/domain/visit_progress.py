"""How a follow-up or therapy activity follows the life of the appointments
booked for it (scheduling's booked, completed, missed and cancelled events).

A missed or cancelled visit sends its follow-up back to `not-started` with a
reason (`missed-appointment`, `appointment-cancelled`): it needs booking
again, which is exactly what scheduling's "to book" list is for. A therapy
course counts its completed sessions and completes with the last one.
"""
from __future__ import annotations

from dataclasses import dataclass

MISSED = "missed-appointment"
CANCELLED = "appointment-cancelled"


@dataclass(frozen=True)
class Progress:
    status: str
    status_reason: str | None
    sessions_completed: int | None = None


def _sessions_planned(detail: dict) -> int:
    return int(detail["sessions_per_week"]) * int(detail["duration_weeks"])


def after_booked(kind: str, status: str, detail: dict) -> Progress | None:
    if status == "not-started":
        return Progress("scheduled", None)
    return None


def after_completed(kind: str, status: str, detail: dict) -> Progress | None:
    if status not in ("not-started", "scheduled", "in-progress"):
        return None
    if kind == "therapy":
        done = int(detail.get("sessions_completed") or 0) + 1
        return Progress("completed" if done >= _sessions_planned(detail) else "in-progress", None, done)
    return Progress("completed", None)


def after_missed(kind: str, status: str, detail: dict) -> Progress | None:
    if kind == "follow-up" and status in ("not-started", "scheduled"):
        return Progress("not-started", MISSED)
    return None  # a missed therapy session leaves the course running


def after_cancelled(kind: str, status: str, detail: dict) -> Progress | None:
    if kind == "follow-up" and status == "scheduled":
        return Progress("not-started", CANCELLED)
    if kind == "therapy" and status == "scheduled":
        return Progress("not-started", CANCELLED)
    return None


def completes_a_visit(kind: str | None, progress: Progress | None) -> bool:
    """A check-in follows a completed visit; a therapy course counts as one
    visit, checked in on when its last session is done."""
    if kind != "therapy":
        return True
    return progress is not None and progress.status == "completed"
