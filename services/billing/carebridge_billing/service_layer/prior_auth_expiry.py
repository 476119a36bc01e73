"""Approved authorizations running out: warnings ahead of the expiry date
(once per authorization and threshold), and expiry once the date has passed."""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from carebridge import clock, outbox

from ..persistence.prior_auths import PriorAuthExpiryWarning, PriorAuthorization
from .prior_auth_payer import publish_decision, reserved_visits
from .prior_auths import move_prior_auth


def warning_due(prior_auth: PriorAuthorization, today: date, thresholds: tuple[int, ...]) -> list[int]:
    """The thresholds (days before expiry) this authorization has reached,
    tightest first; none once nothing is left to use."""
    if prior_auth.status != "approved" or prior_auth.expires_on is None or prior_auth.expires_on < today:
        return []
    if (prior_auth.authorized_units or 0) - prior_auth.units_in_state("used") <= 0:
        return []
    days_left = (prior_auth.expires_on - today).days
    return sorted(days for days in thresholds if days_left <= days)


def warn_if_expiring(session: Session, prior_auth: PriorAuthorization, today: date,
                     thresholds: tuple[int, ...]) -> bool:
    """Sends the warning for the tightest threshold reached, unless it went
    out already; the looser thresholds reached count as sent with it (an
    authorization approved three days before expiry gets one warning, not
    two). Returns whether a warning went out."""
    due = warning_due(prior_auth, today, thresholds)
    if not due:
        return False
    sent = set(session.scalars(select(PriorAuthExpiryWarning.days_before)
                               .where(PriorAuthExpiryWarning.prior_auth_id == prior_auth.id)))
    if due[0] in sent:
        return False
    try:
        with session.begin_nested():
            session.execute(insert(PriorAuthExpiryWarning), [
                {"prior_auth_id": prior_auth.id, "days_before": days, "sent_at": clock.now()}
                for days in due if days not in sent])
    except IntegrityError:
        return False  # another worker sent it just now
    outbox.record(session, "billing.prior-auth-expiring", {
        "prior_auth_id": prior_auth.id, "patient_id": prior_auth.patient_id,
        "service_code": prior_auth.service_code, "expires_on": prior_auth.expires_on,
        "units_remaining": (prior_auth.authorized_units or 0) - prior_auth.units_in_state("used"),
        "affected_appointment_ids": reserved_visits(prior_auth, after=prior_auth.expires_on)})
    return True


def expire_if_lapsed(session: Session, prior_auth: PriorAuthorization, today: date) -> bool:
    if prior_auth.status != "approved" or prior_auth.expires_on is None or prior_auth.expires_on >= today:
        return False
    move_prior_auth(prior_auth, "expired")
    prior_auth.next_action_at = None
    session.flush()
    publish_decision(session, prior_auth)
    return True
