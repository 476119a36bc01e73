"""Warns ahead of time about approved authorizations with units left that
are about to expire (billing.prior-auth-expiring, once per threshold), and
marks lapsed ones expired (billing.prior-auth-decided)."""
from __future__ import annotations

from carebridge.jobs import PeriodicJob, row_by_row
from carebridge.service import Runtime

from ..persistence.due import next_authorization_to_warn_or_expire
from ..service_layer.common import today
from ..service_layer.prior_auth_expiry import expire_if_lapsed, warn_if_expiring


def next_authorization_due(session, now, skip):
    thresholds = Runtime.of(session).service_settings.prior_auth_warning_days
    return next_authorization_to_warn_or_expire(session, now.date(), thresholds, skip)


def warn_or_expire(session, prior_auth) -> None:
    day = today()
    if not expire_if_lapsed(session, prior_auth, day):
        warn_if_expiring(session, prior_auth, day, Runtime.of(session).service_settings.prior_auth_warning_days)


PRIOR_AUTH_EXPIRY = PeriodicJob("prior-auth-expiry", every=300, run=row_by_row(
    [(next_authorization_due, warn_or_expire)], done="warned about or expired prior authorizations"))
