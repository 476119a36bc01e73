"""Claiming the next row a payer job should work on, so that several
workers can sweep at once: `FOR UPDATE SKIP LOCKED` on PostgreSQL (a row
one worker holds is passed over by the others); SQLite has one writer."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .claims import Claim
from .prior_auths import PriorAuthorization


def _next(session: Session, model, now: datetime, skip: set, *conditions):
    statement = select(model).where(model.next_action_at <= now, *conditions)
    if skip:
        statement = statement.where(model.id.not_in(skip))
    return session.scalars(statement.order_by(model.next_action_at, model.id).limit(1)
                           .with_for_update(skip_locked=True)).first()


def next_prior_auth_to_send(session: Session, now: datetime, skip: set) -> PriorAuthorization | None:
    return _next(session, PriorAuthorization, now, skip, PriorAuthorization.status == "requested",
                 PriorAuthorization.submitted_at.is_(None))


def next_prior_auth_to_ask_about(session: Session, now: datetime, skip: set) -> PriorAuthorization | None:
    return _next(session, PriorAuthorization, now, skip, PriorAuthorization.status.in_(("requested", "pended")),
                 PriorAuthorization.submitted_at.is_not(None))


def next_claim_to_send(session: Session, now: datetime, skip: set) -> Claim | None:
    return _next(session, Claim, now, skip, Claim.status.in_(("draft", "submission-failed")))


def next_claim_to_ask_about(session: Session, now: datetime, skip: set) -> Claim | None:
    return _next(session, Claim, now, skip, Claim.status.in_(("submitted", "accepted", "appealed")))


def next_authorization_near_expiry(session: Session, horizon: date, skip: set) -> PriorAuthorization | None:
    """An approved authorization expiring on or before `horizon` (or already lapsed)."""
    statement = select(PriorAuthorization).where(PriorAuthorization.status == "approved",
                                                  PriorAuthorization.expires_on <= horizon)
    if skip:
        statement = statement.where(PriorAuthorization.id.not_in(skip))
    return session.scalars(statement.order_by(PriorAuthorization.expires_on, PriorAuthorization.id).limit(1)
                           .with_for_update(skip_locked=True)).first()
