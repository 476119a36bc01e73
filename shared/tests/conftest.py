import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from kit_toy_service.service import SERVICE  # noqa: E402


@pytest.fixture
def service():
    return SERVICE


@pytest.fixture
def runtime(make_runtime):
    return make_runtime(SERVICE)


@pytest.fixture
def app(runtime):
    return SERVICE.create_app({"runtime": runtime, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
