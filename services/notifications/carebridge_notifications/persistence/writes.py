"""Bulk writes of a fan-out: a few INSERT statements whatever the number of
recipients (the consumer's hot path)."""
from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .escalations import Escalation
from .notifications import Delivery, Notification


def insert_fan_out(session: Session, *, notifications: list[dict], deliveries: list[dict],
                   escalation: dict | None = None) -> None:
    # Core inserts of complete rows: one executemany each, without the ORM's
    # per-row bookkeeping (nothing here is read back in this transaction).
    if escalation is not None:
        session.execute(insert(Escalation.__table__), [escalation])
    if notifications:
        session.execute(insert(Notification.__table__), notifications)
    if deliveries:
        session.execute(insert(Delivery.__table__), deliveries)
