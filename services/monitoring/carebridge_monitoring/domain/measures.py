"""What can be measured, in which units, and what a human body can show.

Every reading is stored in its measure's canonical UCUM unit; a reading sent
in another accepted unit is converted on arrival (pounds to kilograms, mmol/L
of glucose to mg/dL, degrees Fahrenheit to Celsius). A value outside the
plausible range is not a reading of a living patient (a typo, a device
fault, a unit mix-up) and is refused, never stored or alerted on.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Callable

# 1 [lb_av] = 0.45359237 kg exactly; glucose: 1 mmol/L = 18.016 mg/dL
# (molar mass of glucose 180.16 g/mol).
LB_IN_KG = Decimal("0.45359237")
GLUCOSE_MG_DL_PER_MMOL_L = Decimal("18.016")


@dataclass(frozen=True)
class Measure:
    code: str
    canonical_unit: str
    # unit -> function turning a value in that unit into the canonical unit
    units: dict[str, Callable[[Decimal], Decimal]]
    plausible: tuple[Decimal, Decimal]
    places: int
    # Blood pressure has two values: systolic (value) and diastolic (value2).
    second_value_plausible: tuple[Decimal, Decimal] | None = None


def _same(value: Decimal) -> Decimal:
    return value


MEASURES: dict[str, Measure] = {m.code: m for m in (
    Measure("blood-pressure", "mm[Hg]", {"mm[Hg]": _same}, (Decimal(50), Decimal(300)), 0,
            second_value_plausible=(Decimal(20), Decimal(200))),
    Measure("heart-rate", "/min", {"/min": _same, "{beats}/min": _same}, (Decimal(20), Decimal(300)), 0),
    Measure("weight", "kg", {"kg": _same, "[lb_av]": lambda v: v * LB_IN_KG, "g": lambda v: v / 1000},
            (Decimal("0.5"), Decimal(500)), 2),
    Measure("blood-glucose", "mg/dL", {"mg/dL": _same, "mmol/L": lambda v: v * GLUCOSE_MG_DL_PER_MMOL_L},
            (Decimal(10), Decimal(1500)), 0),
    Measure("spo2", "%", {"%": _same}, (Decimal(50), Decimal(100)), 0),
    Measure("temperature", "Cel", {"Cel": _same, "[degF]": lambda v: (v - 32) * 5 / 9},
            (Decimal(25), Decimal(45)), 1),
)}
MEASURE_CODES = tuple(MEASURES)
UNITS = tuple(sorted({unit for measure in MEASURES.values() for unit in measure.units}))


class ImplausibleReading(ValueError):
    """A reading refused on arrival; `field` names what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def to_canonical(measure_code: str, value, unit: str, value2=None) -> tuple[Decimal, Decimal | None]:
    """(value, value2) in the measure's canonical unit, or ImplausibleReading."""
    measure = MEASURES.get(measure_code)
    if measure is None:
        raise ImplausibleReading("measure", f"unknown measure {measure_code!r}")
    convert = measure.units.get(unit)
    if convert is None:
        raise ImplausibleReading("unit", f"{unit!r} is not a unit of {measure_code}; use one of "
                                         f"{', '.join(measure.units)}")
    converted = _quantize(convert(Decimal(str(value))), measure.places)
    low, high = measure.plausible
    if not low <= converted <= high:
        raise ImplausibleReading("value", f"{converted} {measure.canonical_unit} is not a plausible "
                                          f"{measure_code} (between {low} and {high})")
    second = None
    if measure.second_value_plausible is not None:
        if value2 is None:
            raise ImplausibleReading("diastolic", "a blood pressure needs its diastolic value")
        second = _quantize(convert(Decimal(str(value2))), measure.places)
        low2, high2 = measure.second_value_plausible
        if not low2 <= second <= high2:
            raise ImplausibleReading("diastolic", f"{second} {measure.canonical_unit} is not a plausible "
                                                  f"diastolic pressure (between {low2} and {high2})")
        if second >= converted:
            raise ImplausibleReading("diastolic", "the diastolic pressure must be below the systolic")
    elif value2 is not None:
        raise ImplausibleReading("diastolic", f"{measure_code} has a single value")
    return converted, second
