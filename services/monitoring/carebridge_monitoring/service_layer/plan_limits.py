"""Limits a care plan's monitoring activities set (`careplans.plan-updated`,
its `monitoring_limits`) applied to the patient's active enrolments.

Which limits win: the latest decision. A plan version replaces, measure by
measure, the limits of the measures it names on each active enrolment of the
patient that monitors them; a later `PUT /enrolments/{id}/limits` replaces
them again, and stays until a newer version of a plan sets limits. An older
or repeated version of the plan whose limits were last applied (redelivered,
or late) changes nothing, so it never undoes a newer plan version or a
later staff change. A plan version without monitoring limits (none left open,
or the plan ended) leaves the limits as they are."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.errors import RuleViolation

from ..domain.rules import LIMIT_NAMES
from ..persistence.models import Enrolment
from .enrolments import announce, check_limits

log = logging.getLogger(__name__)


def _bounds(item: dict) -> dict:
    return {name: item[name] for name in LIMIT_NAMES if item.get(name) is not None}


def apply_plan_limits(session: Session, data: dict) -> list[Enrolment]:
    """The enrolments whose limits the plan version changed."""
    items = data.get("monitoring_limits") or []
    if not items:
        return []
    changed = []
    enrolments = session.scalars(select(Enrolment).where(Enrolment.patient_id == data["patient_id"],
                                                         Enrolment.status == "active")
                                 .order_by(Enrolment.started_at, Enrolment.id).with_for_update())
    for enrolment in enrolments:
        if enrolment.limits_plan_id == data["plan_id"] and enrolment.limits_plan_version >= data["version"]:
            continue
        chosen = {}
        for item in items:
            if item["measure"] not in enrolment.measures:
                continue
            bounds = _bounds(item)
            try:
                check_limits({item["measure"]: bounds}, enrolment.measures)
            except RuleViolation as refused:
                # The care plan's own checks let it through; this service's
                # stricter ones (plausible ranges) do not: keep the old limits.
                log.warning("care plan limits not applied", extra={
                    "enrolment_id": str(enrolment.id), "plan_id": str(data["plan_id"]),
                    "plan_version": data["version"], "measure": item["measure"],
                    "problems": (refused.errors or {}).get(item["measure"])})
                continue
            chosen[item["measure"]] = bounds
        if not chosen:
            continue
        enrolment.limits = {**enrolment.limits, **chosen}
        enrolment.limits_plan_id, enrolment.limits_plan_version = data["plan_id"], data["version"]
        enrolment.updated_at = clock.now()
        session.flush()
        announce(session, enrolment)
        changed.append(enrolment)
    return changed
