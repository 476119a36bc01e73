"""The real stack comes up: every service's API under gunicorn answers its
probes, documents itself, and refuses calls without a token."""
import pytest

from support.api import ok
from support.stack import SERVICES
from carebridge.web.api import PUBLIC_PATHS


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_is_ready_and_documented(stack, service):
    client = stack.client(service)
    assert ok(client.get("/readyz"))["checks"] == {"database": "ok"}
    assert stack.worker_readiness(service) == (200, {"status": "ready", "checks": {"broker": "ok"}})
    spec = ok(client.get("/openapi.json"))
    assert spec["openapi"].startswith("3.") and spec["paths"]
    anonymous = client.session.get(stack.url(service) + "/openapi.json")
    assert anonymous.status_code == 200
    first_path = next(p for p in spec["paths"] if p not in PUBLIC_PATHS and "{" not in p)
    refused = client.session.get(stack.url(service) + first_path, headers={"Authorization": ""})
    assert refused.status_code == 401
    assert refused.headers["Content-Type"].startswith("application/problem+json")
