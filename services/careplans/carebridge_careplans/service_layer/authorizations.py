"""Billing's word on a prior authorization, as work for the coordinator: a
denial, an expiry, or an approval about to expire opens a task for the
team's lead coordinator to get a new authorization or rebook the visits
that depend on it. One open task per authorization and word."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.service import Runtime

from ..persistence.queries import patient_is_known
from .actors import SYSTEM
from .tasks import open_task
from .visits import UnknownPatient, patient_is_active

log = logging.getLogger(__name__)

_WHAT_TO_DO = {
    "denied": "The payer denied the prior authorization for service {code}: appeal it, request it again "
              "or rebook the {visits}.",
    "expired": "The prior authorization for service {code} expired: request a new one or rebook the {visits}.",
    "expiring": "The prior authorization for service {code} expires on {expires_on}: request an extension "
                "or book the remaining visits before then ({visits} after it).",
}


def prior_auth_at_risk(session: Session, data: dict, issue: str):
    """Open the coordinator's task (urgent when it was denied or expired, or
    when booked visits depend on it)."""
    if not patient_is_known(session, data["patient_id"]):
        raise UnknownPatient(str(data["patient_id"]))
    if not patient_is_active(session, data["patient_id"]):
        log.info("no prior-authorization task for a patient who is no longer active",
                 extra={"patient_id": str(data["patient_id"])})
        return None
    affected = data.get("affected_appointment_ids") or []
    visits = f"{len(affected)} booked visit{'s' if len(affected) != 1 else ''} depending on it"
    expires_on = data.get("expires_on")
    reason = _WHAT_TO_DO[issue].format(code=data["service_code"], visits=visits,
                                       expires_on=f"{expires_on:%Y-%m-%d}" if expires_on else "")
    urgent = issue in ("denied", "expired") or bool(affected)
    settings = Runtime.of(session).service_settings
    return open_task(
        session, patient_id=data["patient_id"], code="prior-auth-follow-up",
        priority="urgent" if urgent else "routine", reason=reason,
        due_at=clock.now() + settings.outreach_due, actor=SYSTEM,
        focus_type="appointment" if affected else None, focus_id=affected[0] if affected else None,
        open_key=f"prior-auth:{issue}:{data['prior_auth_id']}")
