"""docker-compose.yml cannot be started here (no Docker engine), so check what
`docker compose up` relies on: every container has a health check and a
restart policy, the variables it needs, and starts only after what it
depends on is healthy."""
import pytest

from layout import SERVICES

INFRASTRUCTURE = ["postgres", "rabbitmq", "mailpit"]
NEEDED_ENV = {"DATABASE_URL", "BROKER_URL", "JWT_SECRET", "CAREBRIDGE_ENV"}


def environment(service: dict) -> dict:
    env = service.get("environment", {})
    return env if isinstance(env, dict) else dict(item.split("=", 1) for item in env)


@pytest.mark.parametrize("name", INFRASTRUCTURE)
def test_infrastructure_has_health_checks_and_restarts(compose, name):
    service = compose["services"][name]
    assert service["healthcheck"]["test"]
    assert service["restart"] == "unless-stopped"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_migrations_api_and_worker(compose, name):
    services = compose["services"]
    for container in (name, f"{name}-worker", f"{name}-migrate"):
        assert container in services, container
        spec = services[container]
        assert spec["build"]["dockerfile"] == f"services/{name}/Dockerfile"
        assert NEEDED_ENV <= set(environment(spec)), container
        assert f"/{name}" in environment(spec)["DATABASE_URL"], "each service has its own database"
        assert spec["restart"] in ("unless-stopped", "on-failure")
        assert spec["networks"] == ["carebridge"]
    assert services[f"{name}-worker"]["command"][:3] == ["carebridge", "worker", name]
    assert services[f"{name}-migrate"]["command"] == ["carebridge", "migrate", name]


@pytest.mark.parametrize("name", SERVICES)
def test_api_and_worker_are_health_checked_and_wait_for_their_dependencies(compose, name):
    for container in (name, f"{name}-worker"):
        spec = compose["services"][container]
        assert spec["healthcheck"]["test"], container
        depends = spec["depends_on"]
        assert depends[f"{name}-migrate"]["condition"] == "service_completed_successfully"
        assert depends["rabbitmq"]["condition"] == "service_healthy"
    assert compose["services"][f"{name}-migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_ports_and_uis_listed_in_the_readme_are_published(compose, root):
    published = {port.split(":")[0] for spec in compose["services"].values() for port in spec.get("ports", [])}
    assert {"8001", "8002", "8003", "8004", "8005", "15672", "8025", "5672"} <= published
    readme = (root / "deploy" / "README.md").read_text()
    for port in ("8001", "8005", "15672", "8025"):
        assert port in readme


def test_one_network_and_named_volumes(compose):
    assert list(compose["networks"]) == ["carebridge"]
    assert {"postgres-data", "rabbitmq-data"} <= set(compose["volumes"])
    assert any(v.startswith("postgres-data:") for v in compose["services"]["postgres"]["volumes"])


def test_postgres_creates_one_database_per_service(root):
    script = (root / "deploy" / "postgres" / "init-databases.sh").read_text()
    assert "for service in " + " ".join(SERVICES) in script
    assert "CREATE DATABASE ${service} OWNER ${service}" in script
