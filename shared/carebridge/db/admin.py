"""Creating and dropping whole PostgreSQL databases and roles (the real-mode
stack and the test fixtures give each run its own databases, each owned by
a role that runs its migrations, and a runtime role the service runs as)."""
from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .engine import normalize_url

_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _check(name: str) -> str:
    if not _SAFE_NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    return name


def database_url(admin_url: str, name: str, role: str | None = None, password: str | None = None) -> str:
    """The URL of database `name` on the server `admin_url` points at (as
    `role`, if given, instead of the admin's user)."""
    url = make_url(normalize_url(admin_url)).set(database=_check(name))
    if role is not None:
        url = url.set(username=_check(role), password=password)
    return url.render_as_string(hide_password=False)


@contextmanager
def _admin_connection(admin_url: str):
    engine = create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT", pool_size=1)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def create_database(admin_url: str, name: str, owner: str | None = None) -> str:
    with _admin_connection(admin_url) as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": _check(name)}).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"' + (f' OWNER "{_check(owner)}"' if owner else "")))
        if owner:
            # Only the roles granted CONNECT (by the migration, to the
            # runtime role) reach it.
            connection.execute(text(f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC'))
    return database_url(admin_url, name)


def create_role(admin_url: str, name: str, password: str) -> None:
    """A login role (its password set again if it exists)."""
    with _admin_connection(admin_url) as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": _check(name)}).first()
        verb = "ALTER" if exists else "CREATE"
        # A statement with a literal: PostgreSQL takes no parameters in
        # utility commands, and the password is a token made here, not input.
        connection.exec_driver_sql(f"{verb} ROLE \"{name}\" LOGIN PASSWORD '{_check_secret(password)}'")


def drop_role(admin_url: str, name: str) -> None:
    with _admin_connection(admin_url) as connection:
        connection.execute(text(f'DROP ROLE IF EXISTS "{_check(name)}"'))


def _check_secret(password: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,128}", password):
        raise ValueError("role passwords made here are URL-safe tokens")
    return password


def drop_database(admin_url: str, name: str) -> None:
    with _admin_connection(admin_url) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{_check(name)}" WITH (FORCE)'))


def list_databases(admin_url: str, prefix: str) -> list[str]:
    with _admin_connection(admin_url) as connection:
        rows = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                  {"p": prefix.replace("_", r"\_") + "%"}).all()
        return [row[0] for row in rows]
