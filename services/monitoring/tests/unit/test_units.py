"""Unit conversion to the canonical UCUM units, and what no body can show."""
from decimal import Decimal

import pytest

from carebridge_monitoring.domain.measures import ImplausibleReading, to_canonical


@pytest.mark.parametrize(("measure", "value", "unit", "expected"), [
    ("weight", 180, "[lb_av]", Decimal("81.65")),
    ("weight", "2.2046226218", "[lb_av]", Decimal("1.00")),
    ("weight", 81650, "g", Decimal("81.65")),
    ("weight", 81.65, "kg", Decimal("81.65")),
    ("blood-glucose", "5.5", "mmol/L", Decimal("99")),
    ("blood-glucose", 99, "mg/dL", Decimal("99")),
    ("temperature", "98.6", "[degF]", Decimal("37.0")),
    ("temperature", "101.3", "[degF]", Decimal("38.5")),
    ("temperature", "37.2", "Cel", Decimal("37.2")),
    ("spo2", 94, "%", Decimal("94")),
    ("heart-rate", 72, "/min", Decimal("72")),
])
def test_values_are_stored_in_the_canonical_unit(measure, value, unit, expected):
    assert to_canonical(measure, value, unit)[0] == expected


def test_a_blood_pressure_has_systolic_and_diastolic():
    assert to_canonical("blood-pressure", 142, "mm[Hg]", 88) == (Decimal(142), Decimal(88))
    with pytest.raises(ImplausibleReading) as refused:
        to_canonical("blood-pressure", 142, "mm[Hg]")
    assert refused.value.field == "diastolic"
    with pytest.raises(ImplausibleReading):
        to_canonical("blood-pressure", 80, "mm[Hg]", 95)  # diastolic above systolic


@pytest.mark.parametrize(("measure", "value", "unit", "field"), [
    ("weight", 900, "kg", "value"),          # no one weighs that
    ("weight", 0.1, "kg", "value"),
    ("spo2", 101, "%", "value"),
    ("spo2", 30, "%", "value"),
    ("temperature", 98.6, "Cel", "value"),   # Fahrenheit sent as Celsius
    ("heart-rate", 400, "/min", "value"),
    ("blood-glucose", 5.5, "mg/dL", "value"),  # mmol/L sent as mg/dL
    ("weight", 80, "mg/dL", "unit"),
    ("blood-pressure", 350, "mm[Hg]", "value"),
    ("heart-rate", 72, "%", "unit"),
])
def test_physiologically_impossible_values_and_wrong_units_are_refused(measure, value, unit, field):
    with pytest.raises(ImplausibleReading) as refused:
        to_canonical(measure, value, unit, 80 if measure == "blood-pressure" else None)
    assert refused.value.field == field


def test_a_single_value_measure_refuses_a_second_value():
    with pytest.raises(ImplausibleReading):
        to_canonical("weight", 80, "kg", 70)
