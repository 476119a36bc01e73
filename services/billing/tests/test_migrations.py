"""The schema comes only from the migrations, and they describe the models
exactly (a model change without a migration fails here, on both backends)."""
from carebridge.db import migrations
from carebridge_billing.service import SERVICE


def test_migrations_describe_the_models_exactly(runtime):
    migrations.check(SERVICE, runtime.settings.database_url)


def test_migrations_apply_twice_without_harm(runtime):
    migrations.upgrade(SERVICE, runtime.settings.database_url)
    migrations.check(SERVICE, runtime.settings.database_url)
