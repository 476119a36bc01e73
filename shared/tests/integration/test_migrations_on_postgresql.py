from carebridge.db import migrations
from kit_toy_service.service import SERVICE


def test_migrations_describe_the_models_exactly_on_postgresql(pg_url):
    migrations.check(SERVICE, pg_url)
