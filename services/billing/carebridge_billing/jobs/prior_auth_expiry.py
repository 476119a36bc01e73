"""Warns ahead of time about approved authorizations with units left that
are about to expire (billing.prior-auth-expiring, once per threshold), and
marks lapsed ones expired (billing.prior-auth-decided)."""
from __future__ import annotations

import logging
from datetime import timedelta

from carebridge.service import PeriodicJob

from ..persistence.due import next_authorization_near_expiry
from ..service_layer.common import today
from ..service_layer.prior_auth_expiry import expire_if_lapsed, warn_if_expiring
from .sweep import sweep

log = logging.getLogger(__name__)
NAME = "prior-auth-expiry"


def sweep_expiring_authorizations(runtime) -> int:
    thresholds = runtime.service_settings.prior_auth_warning_days
    day = today()
    horizon = day + timedelta(days=max(thresholds, default=0))
    changed = []

    def deal_with(session, prior_auth):
        if expire_if_lapsed(session, prior_auth, day) or warn_if_expiring(session, prior_auth, day, thresholds):
            changed.append(prior_auth.id)

    sweep(runtime, NAME, lambda session, skip: next_authorization_near_expiry(session, horizon, skip), deal_with)
    if changed:
        log.info("warned about or expired prior authorizations", extra={"job": NAME, "count": len(changed)})
    return len(changed)


JOB = PeriodicJob(NAME, every=300, run=sweep_expiring_authorizations)
