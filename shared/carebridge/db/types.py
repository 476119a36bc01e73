"""Column types that behave the same on SQLite (dev, fast tests) and
PostgreSQL (production)."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, DateTime, Integer, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out.

    SQLite keeps no offset and hands back naive values; PostgreSQL's
    timestamptz keeps the instant. Either way the application only ever sees
    UTC with tzinfo set, and a naive value is refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class _DecimalText(TypeDecorator):
    """SQLite has no decimal type and would round money through a float."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


def MoneyAmount():
    """An exact amount of money: NUMERIC(14, 2) on PostgreSQL, text on SQLite."""
    return Numeric(14, 2, asdecimal=True).with_variant(_DecimalText(), "sqlite")


def JsonDocument():
    return JSON().with_variant(JSONB(), "postgresql")


def BigIntegerKey():
    """A 64-bit auto-incrementing key (SQLite only auto-increments INTEGER)."""
    return BigInteger().with_variant(Integer(), "sqlite")
