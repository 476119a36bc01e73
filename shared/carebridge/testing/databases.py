"""A fresh, migrated database per test, on SQLite or PostgreSQL.

SQLite: each service is migrated once per run into a template file that
every test copies. PostgreSQL: each service gets migrated databases once per
run (one more whenever a test asks for a second runtime of the same service),
emptied before reuse back to what the migrations left in them (their seeded
reference data, such as scheduling's visit types). Either way the schema comes from the real Alembic
migrations, never from `create_all`.

On PostgreSQL the roles are production's: each service's databases of the
run are owned by a role of the run that migrates them, and the URL handed
out logs in as a runtime role that may not change or remove audit records
(carebridge.db.migrations). `database_owner(runtime)` connects as the owner,
for the tests that play someone with more rights than the service has.
The roles are dropped with the databases.
"""
from __future__ import annotations

import itertools
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.pool import NullPool

from ..db import admin, migrations, normalize_url
from .infrastructure import RUN_ID

# Tables the kit makes append-only: DELETE is refused (the owner may TRUNCATE).
_APPEND_ONLY = {"audit_records", "audit_checkpoints"}
# The URL a runtime was handed -> the URL of the same database as its owner.
_OWNER_URLS: dict[str, str] = {}


class TestDatabases:
    def __init__(self, backend: str, workdir: Path, admin_url_factory, label: str = "t"):
        self.backend = backend
        self.label = label  # keeps two pools of one run from sharing database names
        self.workdir = workdir
        self._admin_url_factory = admin_url_factory
        self._templates: dict[str, Path] = {}
        self._postgres: dict[str, list[str]] = {}
        self._handed_out: dict[str, int] = {}
        self._created: list[tuple[str, str]] = []
        self._roles: dict[str, tuple[str, str, str]] = {}
        self._files = itertools.count(1)

    def begin_test(self) -> None:
        """Every database may be handed out again (emptied) to the next test."""
        self._handed_out.clear()

    def fresh(self, service, test_dir: Path) -> str:
        if self.backend == "sqlite":
            template = self._templates.get(service.name)
            if template is None:
                template = self.workdir / f"template-{service.name}.db"
                migrations.upgrade(service, f"sqlite:///{template}")
                self._templates[service.name] = template
            target = test_dir / f"{service.name}-{next(self._files)}.db"
            shutil.copyfile(template, target)
            return f"sqlite:///{target}"
        pool = self._postgres.setdefault(service.name, [])
        index = self._handed_out.get(service.name, 0)
        self._handed_out[service.name] = index + 1
        if index < len(pool):
            _empty(pool[index])
            return pool[index]
        admin_url = self._admin_url_factory()
        owner, runtime_role, password = self._roles_of(admin_url, service.name)
        name = f"{RUN_ID}_{self.label}_{service.name}_{index}"
        admin.create_database(admin_url, name, owner=owner)
        self._created.append((admin_url, name))
        _tune_for_tests(admin_url, name)
        owner_url = admin.database_url(admin_url, name, owner, password)
        migrations.upgrade(service, owner_url, runtime_role=runtime_role)
        url = admin.database_url(admin_url, name, runtime_role, password)
        _OWNER_URLS[url] = owner_url
        _SEEDS[url] = _seeded_rows(owner_url)
        pool.append(url)
        return url

    def _roles_of(self, admin_url: str, service: str) -> tuple[str, str, str]:
        """The run's owner and runtime roles of `service` (one password for
        both: the server trusts local connections anyway)."""
        if service not in self._roles:
            prefix = f"{RUN_ID}_{self.label}_{service}"
            password = secrets.token_hex(16)
            roles = (f"{prefix}_owner", f"{prefix}_app", password)
            admin.create_role(admin_url, roles[0], password)
            admin.create_role(admin_url, roles[1], password)
            self._roles[service] = roles
        return self._roles[service]

    def drop_all(self) -> None:
        for engine, _sql in _emptying.values():
            engine.dispose()
        _emptying.clear()
        _SEEDS.clear()
        for admin_url, name in self._created:
            admin.drop_database(admin_url, name)
        if self._created:
            admin_url = self._created[0][0]
            for owner, runtime_role, _password in self._roles.values():
                admin.drop_role(admin_url, runtime_role)
                admin.drop_role(admin_url, owner)
        self._roles.clear()
        self._created.clear()


def owner_url(url: str) -> str:
    """The URL of the database `url` points at, as its owner (the same URL
    on SQLite, which has no roles)."""
    return _OWNER_URLS.get(url, url)


@contextmanager
def database_owner(runtime):
    """An engine on the runtime's database with its owner's rights (who can
    switch triggers off and change anything): for tests of what someone
    with more rights than the service could do."""
    engine = create_engine(normalize_url(owner_url(runtime.settings.database_url)), poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def _tune_for_tests(admin_url: str, name: str) -> None:
    # A test database is thrown away: waiting for each commit to reach the
    # disk buys nothing and doubles the run time.
    engine = create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    finally:
        engine.dispose()


_emptying: dict[str, tuple] = {}
# URL -> [(table, rows)] the migrations wrote (parents first), put back after
# each emptying so that a reused database looks freshly migrated, as it does
# on SQLite, where each test copies the migrated template.
_SEEDS: dict[str, list] = {}


def _seeded_rows(url: str) -> list:
    engine = create_engine(normalize_url(url), poolclass=NullPool)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            seeded = [(table, [dict(row) for row in connection.execute(select(table)).mappings()])
                      for table in metadata.sorted_tables if table.name != "alembic_version"]
    finally:
        engine.dispose()
    return [(table, rows) for table, rows in seeded if rows]


def _empty(url: str) -> None:
    """DELETE is much cheaper than TRUNCATE for the few rows a test leaves;
    one statement batch, on a connection kept for the run."""
    if url not in _emptying:
        engine = create_engine(normalize_url(owner_url(url)), pool_size=1)
        # Parents before children; deleting in reverse keeps foreign keys happy.
        ordered = [name for name, _fks in inspect(engine).get_sorted_table_and_fkc_names() if name]
        statements = [f'TRUNCATE "{t}"' if t in _APPEND_ONLY else f'DELETE FROM "{t}"'
                      for t in reversed(ordered) if t != "alembic_version"]
        _emptying[url] = (engine, "; ".join(statements))
    engine, sql = _emptying[url]
    with engine.begin() as connection:
        connection.exec_driver_sql(sql)
        for table, rows in _SEEDS.get(url, ()):
            connection.execute(table.insert(), rows)
