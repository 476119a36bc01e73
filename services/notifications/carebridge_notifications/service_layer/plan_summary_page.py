"""The plan summary a `careplans.plan-summary-sent` message shows on its
secure page: read from careplans when the page is opened (the event carries
identifiers only), in the reader's language, as the plan stands then."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy.orm import Session

from carebridge.errors import DependencyUnavailable
from carebridge.service import Runtime

log = logging.getLogger(__name__)

PLAN_SUMMARY_TEMPLATE = "plan-summary"


def plan_summary(session: Session, plan_id, language: str | None) -> dict | None:
    """The summary of care plan `plan_id`, or None when careplans cannot
    give it now (the page then says so; nothing about the plan is logged)."""
    try:
        plan_id = uuid.UUID(str(plan_id))
    except ValueError:
        return None
    try:
        response = Runtime.of(session).client("careplans").get(
            f"/care-plans/{plan_id}/summary", params={"language": language or "en"})
    except DependencyUnavailable:
        log.warning("the careplans service could not be reached for a plan summary")
        return None
    if response.status_code != 200:
        log.warning("the careplans service did not give a plan summary", extra={"status": response.status_code})
        return None
    try:
        summary = response.json()
    except ValueError:
        return None
    return summary if isinstance(summary, dict) and "medicines" in summary else None
