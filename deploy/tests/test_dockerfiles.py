"""Each image holds only the kit and its own service, runs as a non-root user,
starts gunicorn for that service and says whether it is healthy."""
import re

import pytest

from layout import SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_dockerfile_installs_only_its_own_service(root, name):
    text = (root / "services" / name / "Dockerfile").read_text()
    copied = re.findall(r"^COPY (?!--from)(\S+)", text, re.M)
    assert set(copied) == {"constraints.txt", "shared/", f"services/{name}/", "deploy/gunicorn.conf.py"}
    assert f"pip install -c constraints.txt ./shared ./services/{name}" in text
    for other in set(SERVICES) - {name}:
        assert f"services/{other}" not in text


@pytest.mark.parametrize("name", SERVICES)
def test_image_is_slim_non_root_and_serves_with_gunicorn(root, name):
    text = (root / "services" / name / "Dockerfile").read_text()
    assert re.findall(r"^FROM python:3\.11-slim", text, re.M)
    assert re.search(r"^USER 10001$", text, re.M)
    assert f'application(\\"{name}\\")' in text and '"gunicorn", "-c", "/app/gunicorn.conf.py"' in text


@pytest.mark.parametrize("name", SERVICES)
def test_image_has_a_health_check_that_serves_api_and_worker(root, name):
    """One image runs as the API or the worker: `carebridge healthcheck` asks
    whichever of the two runs in the container (liveness only)."""
    text = (root / "services" / name / "Dockerfile").read_text()
    checks = re.findall(r"^HEALTHCHECK (.*)$", text, re.M)
    assert len(checks) == 1, "one HEALTHCHECK"
    assert checks[0].endswith('CMD ["carebridge", "healthcheck"]')
    assert "--start-period=" in checks[0] and "--interval=" in checks[0]
