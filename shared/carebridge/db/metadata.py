"""One naming convention for every constraint, so that Alembic migrations name
the same constraint the same way on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def declarative_base() -> type[DeclarativeBase]:
    """A fresh declarative base with the CareBridge naming convention; each
    service has its own, so no service can map another's tables."""

    class Base(DeclarativeBase):
        metadata = make_metadata()

    return Base
