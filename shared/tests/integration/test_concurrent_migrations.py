"""Two pods of a new release start together and both run `carebridge
migrate` before their containers: on PostgreSQL the advisory lock makes the
second wait for the first, then find the schema at its head and do nothing."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from carebridge.db import admin, migrations
from carebridge.db.engine import build_engine
from carebridge.testing import infrastructure
from kit_toy_service.service import SERVICE

TESTS = Path(__file__).resolve().parents[1]

# Imports first (the slow part), then waits for the go on stdin, so that both
# migrators reach the database at the same moment.
MIGRATOR = """
import sys
from carebridge import cli
from carebridge.runtime import discovery
from kit_toy_service.service import SERVICE
discovery.load_service = lambda name: SERVICE
print("ready", flush=True)
sys.stdin.readline()
sys.exit(cli.main(["migrate", "toys"]))
"""


@pytest.fixture
def empty_database(request):
    admin_url = infrastructure.postgres_admin_url()
    name = f"{infrastructure.RUN_ID}_migrators_{secrets.token_hex(3)}"
    url = admin.create_database(admin_url, name)
    request.addfinalizer(lambda: admin.drop_database(admin_url, name))
    return url


def start_migrator(url: str) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items()
           if key not in ("JWT_SECRET", "BROKER_URL", "CAREBRIDGE_CLOCK", "TOYS_DATABASE_URL")}
    env.update(CAREBRIDGE_ENV="production", DATABASE_URL=url, PYTHONPATH=str(TESTS))
    return subprocess.Popen([sys.executable, "-c", MIGRATOR], env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_migrators_at_once_leave_one_schema_at_head(empty_database):
    first, second = start_migrator(empty_database), start_migrator(empty_database)
    for process in (first, second):
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    for process in (first, second):
        process.stdin.write("go\n")
        process.stdin.flush()
    outcomes = [process.communicate(timeout=120) for process in (first, second)]
    for process, (out, err) in zip((first, second), outcomes):
        assert process.returncode == 0, err
        assert "database is at the latest schema" in out

    heads = set(ScriptDirectory.from_config(migrations.alembic_config(SERVICE)).get_heads())
    engine = build_engine(empty_database, pool_size=1)
    try:
        with engine.connect() as connection:
            assert set(connection.scalars(text("SELECT version_num FROM alembic_version"))) == heads
            assert connection.scalar(text("SELECT count(*) FROM pg_tables WHERE tablename = 'outbox_events'")) == 1
    finally:
        engine.dispose()
    migrations.check(SERVICE, empty_database)
