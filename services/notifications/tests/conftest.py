import pytest

from carebridge_notifications.service import SERVICE


@pytest.fixture
def runtime(make_runtime):
    """The notifications service on a fresh, migrated database (SQLite, or
    PostgreSQL with --db=postgresql) and the in-memory bus."""
    return make_runtime(SERVICE)


@pytest.fixture
def app(runtime):
    return SERVICE.create_app({"runtime": runtime, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
