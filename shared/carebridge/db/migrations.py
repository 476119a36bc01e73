"""Schema changes only through Alembic.

Every service's database holds two migration branches: the kit's (outbox,
inbox, audit, idempotency, care-team access) and the service's own. Both are
applied by `carebridge migrate SERVICE` (which is what images, the Kubernetes
pods' init container, the dev stack and the test fixtures all run), so a new kit
table reaches every service with its next upgrade.

On PostgreSQL, migrations run as the database's owner role and the service
as another role (DATABASE_RUNTIME_ROLE) that owns nothing: after each
upgrade, that role is granted every table for reading and writing, except
the audit tables, which it may only read and append to. So a service (or
whoever steals its database password) cannot change or remove audit
records, nor switch off the triggers that refuse it (only a table's owner
can). SQLite has no roles: there the triggers are the only guard.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from .engine import build_engine, normalize_url
from .kit_tables import APPEND_ONLY_TABLES, kit_metadata

ALEMBIC_DIR = Path(__file__).parent / "alembic"
KIT_VERSIONS = ALEMBIC_DIR / "kit_versions"
KIT_BRANCH = "kit"
# An arbitrary constant: the advisory lock that stops two migrators (two
# replicas starting at once) from racing on PostgreSQL.
MIGRATION_LOCK_KEY = 4_207_318_001


def service_versions_dir(service) -> Path:
    return Path(str(resources.files(service.package) / "migrations" / "versions"))


def alembic_config(service, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option(
        "version_locations", os.pathsep.join([str(service_versions_dir(service)), str(KIT_VERSIONS)]))
    config.attributes["target_metadata"] = [service.metadata, kit_metadata]
    config.attributes["service_branch"] = service.name
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@contextmanager
def _migration_connection(database_url: str):
    engine = build_engine(normalize_url(database_url), pool_size=1)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
                connection.commit()
            try:
                yield connection
            finally:
                if engine.dialect.name == "postgresql":
                    connection.rollback()
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                    connection.commit()
    finally:
        engine.dispose()


def _revisions_unknown_here(config: Config, connection) -> list[str]:
    """The database's revisions that this code's migration scripts do not
    have: a newer release wrote them."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError
    script = ScriptDirectory.from_config(config)
    applied = MigrationContext.configure(connection).get_current_heads()
    connection.commit()
    unknown = []
    for revision in applied:
        try:
            script.get_revision(revision)
        except CommandError:  # "Can't locate revision"
            unknown.append(revision)
    return unknown


def upgrade(service, database_url: str, revision: str = "heads", *, runtime_role: str = "") -> list[str]:
    """Brings the schema to `revision`. Returns the database's revisions this
    code does not know, in which case nothing was done: the previous image
    (a rollback, or one of its pods restarting during a rollout) runs its
    migrations against a schema the newer release already moved on, and
    expand-then-contract keeps that schema working for it. Every later
    revision of the same chain is unknown too, so no upgrade is attempted.
    On PostgreSQL, `runtime_role` is then granted what the service needs
    (every time, so that new tables are covered)."""
    with _migration_connection(database_url) as connection:
        config = alembic_config(service, connection)
        unknown = _revisions_unknown_here(config, connection)
        if not unknown:
            command.upgrade(config, revision)
        if runtime_role and connection.dialect.name == "postgresql":
            grant_runtime_role(connection, runtime_role)
            connection.commit()
        return unknown


def grant_runtime_role(connection, role: str) -> None:
    """Everything on the service's tables to `role`, except changing or
    removing audit records, and the migration bookkeeping only to read."""
    quote = connection.dialect.identifier_preparer.quote
    quoted = quote(role)
    audit_tables = ", ".join(APPEND_ONLY_TABLES)
    database = connection.exec_driver_sql("SELECT current_database()").scalar()
    for statement in (
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {quoted}",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit_tables} FROM {quoted}",
    ):
        connection.exec_driver_sql(statement)


def downgrade(service, database_url: str, revision: str) -> None:
    with _migration_connection(database_url) as connection:
        command.downgrade(alembic_config(service, connection), revision)


def current(service, database_url: str) -> None:
    with _migration_connection(database_url) as connection:
        command.current(alembic_config(service, connection), verbose=True)


def check(service, database_url: str) -> None:
    """Fail if the models hold changes that no migration describes."""
    with _migration_connection(database_url) as connection:
        command.check(alembic_config(service, connection))


def _has_own_branch(config: Config, service) -> bool:
    from alembic.script import ScriptDirectory
    script = ScriptDirectory.from_config(config)
    return any(service.name in (rev.branch_labels or ()) for rev in script.walk_revisions())


def new_revision(service, database_url: str, message: str, autogenerate: bool = True) -> None:
    """Write the service's next migration (the first one starts its branch)."""
    with _migration_connection(database_url) as connection:
        config = alembic_config(service, connection)
        service_versions_dir(service).mkdir(parents=True, exist_ok=True)
        if _has_own_branch(config, service):
            branch = dict(head=f"{service.name}@head")
        else:
            branch = dict(head="base", branch_label=service.name)
        command.revision(config, message=message, autogenerate=autogenerate,
                         version_path=str(service_versions_dir(service)), **branch)
