"""Creating and dropping whole PostgreSQL databases (the real-mode stack and
the test fixtures give each run its own databases)."""
from __future__ import annotations

import re

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .engine import normalize_url

_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _check(name: str) -> str:
    if not _SAFE_NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    return name


def database_url(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server `admin_url` points at."""
    url = make_url(normalize_url(admin_url)).set(database=_check(name))
    return url.render_as_string(hide_password=False)


def _admin_engine(admin_url: str):
    return create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT", pool_size=1)


def create_database(admin_url: str, name: str) -> str:
    engine = _admin_engine(admin_url)
    try:
        with engine.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": _check(name)}).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return database_url(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    engine = _admin_engine(admin_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{_check(name)}" WITH (FORCE)'))
    finally:
        engine.dispose()


def list_databases(admin_url: str, prefix: str) -> list[str]:
    engine = _admin_engine(admin_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                      {"p": prefix.replace("_", r"\_") + "%"}).all()
            return [row[0] for row in rows]
    finally:
        engine.dispose()
