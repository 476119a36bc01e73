import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from carebridge_notifications.service import SERVICE  # noqa: E402
from servers import HttpRecorder, SmtpRecorder  # noqa: E402
from world import World  # noqa: E402

BASE_SETTINGS = {"PORTAL_URL": "https://portal.example.org", "STAFF_INBOX_URL": "https://staff.example.org/inbox",
                 # Subscriptions made by a test apply to its very next event.
                 "WEBHOOK_SUBSCRIPTIONS_CACHE_SECONDS": "0",
                 "ESCALATION_AFTER_MINUTES": "15"}


@pytest.fixture
def settings_extra():
    """Service settings for this test's runtime; override in a test module."""
    return {}


@pytest.fixture
def runtime(make_runtime, tmp_path, settings_extra):
    """The notifications service on a fresh, migrated database (SQLite, or
    PostgreSQL with --db=postgresql) and the in-memory bus; email and SMS go
    to files under the test's folder unless a test points them elsewhere."""
    return make_runtime(SERVICE, data_dir=tmp_path, extra={**BASE_SETTINGS, **settings_extra})


@pytest.fixture
def app(make_app, runtime):
    return make_app(SERVICE, runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(runtime, frozen_clock):
    """A patient with a care team, a former member, family and billing staff,
    all known to the service through real events."""
    return World(runtime).build()


@pytest.fixture(scope="session")
def _smtp_server():
    server = SmtpRecorder().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_server):
    """A real SMTP server (aiosmtpd) on localhost, empty at the start of the test."""
    _smtp_server.reset()
    return _smtp_server


@pytest.fixture(scope="session")
def _http_receiver():
    receiver = HttpRecorder().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def http_receiver(_http_receiver):
    """A real HTTP server on localhost recording what it is sent."""
    _http_receiver.reset()
    return _http_receiver
