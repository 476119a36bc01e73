"""Claiming the next row a payer job should work on, so that several
workers can sweep at once: `FOR UPDATE SKIP LOCKED` on PostgreSQL (a row
one worker holds is passed over by the others); SQLite has one writer."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from .claims import Claim
from .prior_auths import PriorAuthAllocation, PriorAuthExpiryWarning, PriorAuthorization


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


def next_authorization_to_warn_or_expire(session: Session, today: date, thresholds: tuple[int, ...],
                                         skip: set) -> PriorAuthorization | None:
    """An approved authorization that has lapsed, or that has reached a
    warning threshold (days before expiry) with units left and no warning
    for the tightest threshold reached yet: the rule of
    `service_layer.prior_auth_expiry.warning_due`, so that the job passes
    over authorizations it has warned about already."""
    auth = PriorAuthorization
    used = (select(func.count()).select_from(PriorAuthAllocation)
            .where(PriorAuthAllocation.prior_auth_id == auth.id, PriorAuthAllocation.state == "used")
            .scalar_subquery())
    unwarned_windows = []
    tighter = None
    for days in sorted(set(thresholds)):
        # Days left in (tighter threshold, days]: `days` is the tightest one reached.
        reached = auth.expires_on >= today if tighter is None else auth.expires_on > today + timedelta(days=tighter)
        unwarned_windows.append(and_(reached, auth.expires_on <= today + timedelta(days=days), ~exists().where(
            PriorAuthExpiryWarning.prior_auth_id == auth.id, PriorAuthExpiryWarning.days_before == days)))
        tighter = days
    due = auth.expires_on < today
    if unwarned_windows:
        due = or_(due, and_(or_(*unwarned_windows), func.coalesce(auth.authorized_units, 0) > used))
    statement = select(auth).where(auth.status == "approved", due)
    if skip:
        statement = statement.where(auth.id.not_in(skip))
    return session.scalars(statement.order_by(auth.expires_on, auth.id).limit(1)
                           .with_for_update(skip_locked=True)).first()
