"""This suite's own fixtures: its runtime's settings, the world of people it
notifies, and the real servers deliveries go to."""
import pytest

from support import HttpRecorder, SmtpRecorder, World, runtime_settings_for


@pytest.fixture
def runtime_settings(tmp_path):
    """Override in a test module (with `runtime_settings_for(tmp_path, ...)`)
    for other service settings."""
    return runtime_settings_for(tmp_path)


@pytest.fixture
def world(runtime, clock):
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
