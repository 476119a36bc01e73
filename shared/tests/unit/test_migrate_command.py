"""`carebridge migrate` is what the migration container of every pod runs:
it is given DATABASE_URL and nothing else, in an image that sets
CAREBRIDGE_ENV=production, and it must not be stopped by the production
checks of settings it does not use."""
import pytest
from sqlalchemy import create_engine, inspect, text

from carebridge import cli
from carebridge.config import ConfigurationError, Settings
from carebridge.runtime import discovery


@pytest.fixture
def only_the_toy_service(monkeypatch, service):
    monkeypatch.setattr(discovery, "load_service", lambda name: service)


@pytest.fixture
def bare_environment(monkeypatch):
    """The migration container's environment: the image's CAREBRIDGE_ENV and
    the database URL, no JWT secret, no broker."""
    for name in ("JWT_SECRET", "BROKER_URL", "CAREBRIDGE_CLOCK", "DATABASE_URL", "TOYS_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAREBRIDGE_ENV", "production")
    return monkeypatch


def test_migrate_runs_in_production_with_only_the_database_url(only_the_toy_service, bare_environment, tmp_path):
    url = f"sqlite:///{tmp_path / 'toys.db'}"
    bare_environment.setenv("DATABASE_URL", url)
    assert cli.main(["migrate", "toys"]) == 0
    engine = create_engine(url)
    try:
        assert "alembic_version" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_migrate_in_production_without_a_database_url_says_so(only_the_toy_service, bare_environment, capsys):
    assert cli.main(["migrate", "toys"]) == 2
    assert "DATABASE_URL is required in production" in capsys.readouterr().err


def test_the_database_url_alone_follows_the_usual_rules():
    assert Settings.database_url_from_env("patients", {}) == "sqlite:///data/patients.db"
    assert Settings.database_url_from_env("patients", {"DATABASE_URL": "postgresql://h/plain",
                                                       "PATIENTS_DATABASE_URL": "postgresql://h/own"}) \
        == "postgresql://h/own"
    # The other production checks do not apply: no secret or broker is read.
    assert Settings.database_url_from_env("patients", {"CAREBRIDGE_ENV": "production",
                                                       "DATABASE_URL": "postgresql://h/db"}) == "postgresql://h/db"
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        Settings.database_url_from_env("patients", {"CAREBRIDGE_ENV": "production"})


def test_an_older_image_leaves_a_newer_schema_alone(only_the_toy_service, bare_environment, tmp_path, capsys):
    """A rollback, or a pod of the previous release restarting mid-rollout,
    runs the previous image's migrations against a schema the new release
    already moved on: expand-then-contract keeps that schema usable by the
    old code, so its migration container must succeed without touching it."""
    url = f"sqlite:///{tmp_path / 'toys.db'}"
    bare_environment.setenv("DATABASE_URL", url)
    assert cli.main(["migrate", "toys"]) == 0
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            kit_head = connection.scalar(text("SELECT version_num FROM alembic_version WHERE version_num LIKE 'kit%'"))
            connection.execute(text("UPDATE alembic_version SET version_num = 'toys_9999_next_release' "
                                    "WHERE version_num != :kit"), {"kit": kit_head})
        capsys.readouterr()
        assert cli.main(["migrate", "toys"]) == 0
        assert "newer than this image" in capsys.readouterr().out
        with engine.connect() as connection:
            assert set(connection.scalars(text("SELECT version_num FROM alembic_version"))) \
                == {kit_head, "toys_9999_next_release"}
    finally:
        engine.dispose()
