"""to_jsonish's shortcut for exact primitives gives what the full chain of
checks gives, Enum members (str- and int-valued ones included) and other
subclasses of primitives still going through their own rules."""
import enum
import uuid
from datetime import date, datetime, time, timezone
from decimal import Decimal

from carebridge.events.registry import to_jsonish


class Colour(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Plain(enum.Enum):
    ONE = uuid.UUID(int=1)


class Tagged(str):
    pass


def test_every_kind_of_value_becomes_what_the_full_checks_make_of_it():
    an_id = uuid.uuid4()
    value = {
        "s": "text", "i": 7, "f": 1.5, "b": True, "n": None, "u": an_id, "d": Decimal("1.10"),
        "dt": datetime(2026, 12, 7, 11, 30, tzinfo=timezone.utc), "day": date(2026, 12, 7), "t": time(9, 5),
        "colour": Colour.RED, "level": Level.HIGH, "plain": Plain.ONE, "tagged": Tagged("x"),
        "list": [an_id, ("a", 1), {"nested": {Decimal("2"), }}], 3: "int key",
    }
    assert to_jsonish(value) == {
        "s": "text", "i": 7, "f": 1.5, "b": True, "n": None, "u": str(an_id), "d": "1.10",
        "dt": "2026-12-07T11:30:00+00:00", "day": "2026-12-07", "t": "09:05:00",
        "colour": "red", "level": 3, "plain": str(uuid.UUID(int=1)), "tagged": "x",
        "list": [str(an_id), ["a", 1], {"nested": ["2"]}], "3": "int key",
    }
    converted = to_jsonish(value)
    assert type(converted["colour"]) is str and type(converted["level"]) is int
    assert type(converted["b"]) is bool
