"""A fresh, migrated database per test, on SQLite or PostgreSQL.

SQLite: each service is migrated once per run into a template file that
every test copies. PostgreSQL: each service gets migrated databases once per
run (one more whenever a test asks for a second runtime of the same service),
emptied before reuse. Either way the schema comes from the real Alembic
migrations, never from `create_all`.
"""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from ..db import admin, migrations, normalize_url
from .infrastructure import RUN_ID

# Tables the kit makes append-only: DELETE is refused, TRUNCATE is not.
_APPEND_ONLY = {"audit_records"}


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
        name = f"{RUN_ID}_{self.label}_{service.name}_{index}"
        url = admin.create_database(admin_url, name)
        self._created.append((admin_url, name))
        _tune_for_tests(admin_url, name)
        migrations.upgrade(service, url)
        pool.append(url)
        return url

    def drop_all(self) -> None:
        for engine, _sql in _emptying.values():
            engine.dispose()
        _emptying.clear()
        for admin_url, name in self._created:
            admin.drop_database(admin_url, name)
        self._created.clear()


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


def _empty(url: str) -> None:
    """DELETE is much cheaper than TRUNCATE for the few rows a test leaves;
    one statement batch, on a connection kept for the run."""
    if url not in _emptying:
        engine = create_engine(normalize_url(url), pool_size=1)
        # Parents before children; deleting in reverse keeps foreign keys happy.
        ordered = [name for name, _fks in inspect(engine).get_sorted_table_and_fkc_names() if name]
        statements = [f'TRUNCATE "{t}"' if t in _APPEND_ONLY else f'DELETE FROM "{t}"'
                      for t in reversed(ordered) if t != "alembic_version"]
        _emptying[url] = (engine, "; ".join(statements))
    engine, sql = _emptying[url]
    with engine.begin() as connection:
        connection.exec_driver_sql(sql)
