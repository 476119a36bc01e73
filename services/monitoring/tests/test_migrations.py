"""Schema only through migrations, and the migrations match the models."""
from carebridge.testing import check_migrations


def test_the_migrations_match_the_models_and_go_down_and_up_again(service, scratch_database_url):
    check_migrations(service, scratch_database_url)
