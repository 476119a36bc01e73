"""Every rule on plain values, including weight trends across a day
boundary in the patient's time zone."""
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from carebridge_monitoring.domain.rules import (ReadingFact, defaults_for, evaluate, readings_missed,
                                                missed_readings_rule)

UTC = timezone.utc
CHICAGO = "America/Chicago"   # UTC-6 in early March
HF = defaults_for("heart-failure")


def fact(measure, value, at, value2=None):
    return ReadingFact(uuid.uuid4(), measure, Decimal(str(value)), None if value2 is None else Decimal(value2), at)


def codes(findings):
    return sorted(f.rule_code for f in findings)


def test_a_weight_gain_of_more_than_0_9_kg_since_yesterday_fires():
    yesterday = fact("weight", "80.0", datetime(2026, 3, 2, 14, tzinfo=UTC))
    today = fact("weight", "81.0", datetime(2026, 3, 3, 14, tzinfo=UTC))
    findings = evaluate([today], [yesterday, today], HF["limits"], HF["rules"], CHICAGO)
    assert codes(findings) == ["weight-gain-day"]
    assert findings[0].severity == "urgent" and findings[0].reading_ids == (yesterday.id, today.id)


def test_a_gain_of_0_9_kg_exactly_or_on_the_same_day_does_not():
    yesterday = fact("weight", "80.0", datetime(2026, 3, 2, 14, tzinfo=UTC))
    today = fact("weight", "80.9", datetime(2026, 3, 3, 14, tzinfo=UTC))
    assert evaluate([today], [yesterday, today], HF["limits"], HF["rules"], CHICAGO) == []
    morning = fact("weight", "80.0", datetime(2026, 3, 3, 13, tzinfo=UTC))
    evening = fact("weight", "81.5", datetime(2026, 3, 4, 2, tzinfo=UTC))  # 20:00 the same day in Chicago
    assert evaluate([evening], [morning, evening], HF["limits"], HF["rules"], CHICAGO) == []


def test_days_are_the_patients_calendar_days_not_utc_ones():
    # 23:30 and 00:30 Chicago time: different local days, the same UTC day.
    late = fact("weight", "80.0", datetime(2026, 3, 3, 5, 30, tzinfo=UTC))    # 2 March 23:30 CST
    early = fact("weight", "81.2", datetime(2026, 3, 3, 6, 30, tzinfo=UTC))   # 3 March 00:30 CST
    assert codes(evaluate([early], [late, early], HF["limits"], HF["rules"], CHICAGO)) == ["weight-gain-day"]
    # In UTC both are on 3 March: no day-over-day gain there.
    assert evaluate([early], [late, early], HF["limits"], HF["rules"], "UTC") == []
    # And the other way round: the same local day, two UTC days.
    evening = fact("weight", "80.0", datetime(2026, 3, 3, 23, tzinfo=UTC))   # 3 March 17:00 CST
    night = fact("weight", "81.2", datetime(2026, 3, 4, 4, tzinfo=UTC))      # 3 March 22:00 CST
    assert evaluate([night], [evening, night], HF["limits"], HF["rules"], CHICAGO) == []
    assert codes(evaluate([night], [evening, night], HF["limits"], HF["rules"], "UTC")) == ["weight-gain-day"]


def test_a_gain_of_more_than_2_3_kg_over_a_week_fires_without_a_daily_jump():
    start = datetime(2026, 3, 2, 14, tzinfo=UTC)
    week = [fact("weight", str(Decimal("80.0") + Decimal("0.5") * day), start + timedelta(days=day))
            for day in range(6)]
    assert codes(evaluate(week[:5], week[:5], HF["limits"], HF["rules"], CHICAGO)) == []   # +2.0 kg
    findings = evaluate([week[5]], week, HF["limits"], HF["rules"], CHICAGO)                # +2.5 kg
    assert codes(findings) == ["weight-gain-week"]
    assert findings[0].reading_ids == (week[0].id, week[5].id)


def test_three_systolic_readings_over_the_limit_in_a_row():
    start = datetime(2026, 3, 2, 14, tzinfo=UTC)
    high = [fact("blood-pressure", 165, start + timedelta(hours=h), "90") for h in range(3)]
    assert codes(evaluate(high[:2], high[:2], HF["limits"], HF["rules"], CHICAGO)) == ["blood-pressure-high"]
    findings = evaluate([high[2]], high, HF["limits"], HF["rules"], CHICAGO)
    assert codes(findings) == ["blood-pressure-high", "systolic-high-3-in-a-row"]
    in_a_row = next(f for f in findings if f.rule_code == "systolic-high-3-in-a-row")
    assert in_a_row.reading_ids == tuple(r.id for r in high)
    broken = [high[0], fact("blood-pressure", 130, start + timedelta(hours=1, minutes=30), "80"), *high[1:]]
    assert "systolic-high-3-in-a-row" not in codes(evaluate([high[2]], broken, HF["limits"], HF["rules"], CHICAGO))


def test_critical_readings_are_critical():
    at = datetime(2026, 3, 2, 14, tzinfo=UTC)
    spo2 = fact("spo2", 86, at)
    systolic = fact("blood-pressure", 185, at, "100")
    findings = {f.rule_code: f for f in evaluate([spo2, systolic], [spo2, systolic], HF["limits"], HF["rules"],
                                                 CHICAGO)}
    assert findings["spo2-critical-low"].severity == "critical"
    assert findings["blood-pressure-critical-high"].severity == "critical"
    assert "spo2-low" not in findings   # the worse limit only
    assert evaluate([fact("spo2", 90, at)], [], HF["limits"], HF["rules"], CHICAGO)[0].severity == "warning"


def test_one_finding_per_rule_for_a_batch_with_the_readings_of_the_episode():
    at = datetime(2026, 3, 2, 14, tzinfo=UTC)
    lows = [fact("spo2", 85 + i, at + timedelta(minutes=i)) for i in range(3)]
    findings = evaluate(lows, lows, HF["limits"], HF["rules"], CHICAGO)
    assert codes(findings) == ["spo2-critical-low"]
    assert findings[0].reading_ids == tuple(r.id for r in lows)


def test_missed_readings_after_the_rules_number_of_days():
    rule = missed_readings_rule(HF["rules"])
    assert rule["days"] == 2
    started = datetime(2026, 3, 1, tzinfo=UTC)
    last = datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert not readings_missed(rule, last, started, last + timedelta(days=1, hours=23))
    assert readings_missed(rule, last, started, last + timedelta(days=2))
    assert readings_missed(rule, None, started, started + timedelta(days=2))
