"""The models and the migrations describe the same schema, on SQLite and on
PostgreSQL (run with --db=postgresql)."""
from carebridge.db import migrations
from carebridge_careplans.service import SERVICE


def test_migrations_describe_the_models_exactly(runtime):
    migrations.check(SERVICE, runtime.settings.database_url)


def test_migrations_apply_twice_without_harm(runtime):
    migrations.upgrade(SERVICE, runtime.settings.database_url)
    migrations.check(SERVICE, runtime.settings.database_url)
