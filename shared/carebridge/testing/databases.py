"""A fresh, migrated database per test, on SQLite or PostgreSQL.

SQLite: each service is migrated once per run into a template file that
every test copies. PostgreSQL: each service gets one migrated database per
run, emptied (TRUNCATE) before every test. Either way the schema comes from
the real Alembic migrations, never from `create_all`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from ..db import admin, migrations, normalize_url
from .infrastructure import RUN_ID


class TestDatabases:
    def __init__(self, backend: str, workdir: Path, admin_url_factory):
        self.backend = backend
        self.workdir = workdir
        self._admin_url_factory = admin_url_factory
        self._templates: dict[str, Path] = {}
        self._postgres: dict[str, str] = {}
        self._created: list[str] = []

    def fresh(self, service, test_dir: Path) -> str:
        if self.backend == "sqlite":
            template = self._templates.get(service.name)
            if template is None:
                template = self.workdir / f"template-{service.name}.db"
                migrations.upgrade(service, f"sqlite:///{template}")
                self._templates[service.name] = template
            target = test_dir / f"{service.name}.db"
            shutil.copyfile(template, target)
            return f"sqlite:///{target}"
        url = self._postgres.get(service.name)
        if url is None:
            admin_url = self._admin_url_factory()
            name = f"{RUN_ID}_{service.name}"
            url = admin.create_database(admin_url, name)
            self._created.append((admin_url, name))
            migrations.upgrade(service, url)
            self._postgres[service.name] = url
        else:
            _truncate_all(url)
        return url

    def drop_all(self) -> None:
        for admin_url, name in self._created:
            admin.drop_database(admin_url, name)
        self._created.clear()


def _truncate_all(url: str) -> None:
    engine = create_engine(normalize_url(url))
    try:
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        if tables:
            with engine.begin() as connection:
                connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
