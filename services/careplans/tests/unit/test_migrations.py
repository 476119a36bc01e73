"""The models and the migrations describe the same schema, on SQLite and on
PostgreSQL (run with --db=postgresql)."""
from carebridge.testing import check_migrations


def test_the_migrations_describe_the_models_and_go_down_and_up_again(service, scratch_database_url):
    check_migrations(service, scratch_database_url)
