"""The missed-readings rule: an enrolment with no reading for its rule's
number of days opens an alert (once per episode, however many workers sweep)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.rules import Finding, missed_readings_rule, readings_missed
from ..persistence.models import Alert, Enrolment
from .alerts import open_or_join

BATCH = 500


def open_missed_readings_alerts(session: Session, now: datetime) -> int:
    opened = 0
    open_rules = select(Alert.enrolment_id).where(Alert.status == "open", Alert.rule_code == "missed-readings")
    # Each enrolment's newest reading is one backward step on the readings'
    # (enrolment_id, taken_at) index.
    candidates = session.execute(select(Enrolment, Enrolment.last_reading_at)
                                 .where(Enrolment.status == "active", Enrolment.id.not_in(open_rules))
                                 .order_by(Enrolment.last_reading_at.nulls_first(), Enrolment.id).limit(BATCH))
    for enrolment, last_reading_at in candidates.all():
        rule = missed_readings_rule(enrolment.rules)
        if rule is None or not readings_missed(rule, last_reading_at, enrolment.started_at, now):
            continue
        _alert_id, is_new = open_or_join(session, enrolment, Finding(rule["code"], None, rule["severity"], ()))
        opened += is_new
    return opened
