"""The schema comes only from the migrations, and they describe the models
exactly (a model change without a migration fails here, on both backends)."""
from carebridge.testing import check_migrations


def test_the_migrations_describe_the_models_and_go_down_and_up_again(service, scratch_database_url):
    check_migrations(service, scratch_database_url)
