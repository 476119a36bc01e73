"""docker-compose.yml cannot be started here (no Docker engine), so check what
`docker compose up` relies on: every container has a health check and a
restart policy, the variables it needs, and starts only after what it
depends on is healthy; and that each service has database roles, broker
users and an audit key of its own, none of them written in the file, and
that the database and the broker listen on this machine only."""
import re
import subprocess

import pytest

from layout import SERVICES

INFRASTRUCTURE = ["postgres", "rabbitmq", "mailpit"]
NEEDED_ENV = {"DATABASE_URL", "BROKER_URL", "JWT_SECRET", "CAREBRIDGE_ENV", "AUDIT_HMAC_KEY"}
MIGRATION_ENV = {"DATABASE_URL", "DATABASE_RUNTIME_ROLE"}
# A secret taken from the environment (.env), with no default to fall back on.
FROM_ENVIRONMENT = re.compile(r"^\$\{[A-Z0-9_]+:\?[^}]*\}$")


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
        needed = MIGRATION_ENV if container.endswith("-migrate") else NEEDED_ENV
        assert needed <= set(environment(spec)), container
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


def host_port(mapping: str) -> str:
    return mapping.split(":")[-2]


def test_ports_and_uis_listed_in_the_readme_are_published(compose, root):
    published = {host_port(port) for spec in compose["services"].values() for port in spec.get("ports", [])}
    assert {"8001", "8002", "8003", "8004", "8005", "8006", "15672", "8025", "5672"} <= published
    readme = (root / "deploy" / "README.md").read_text()
    for port in ("8001", "8006", "15672", "8025"):
        assert port in readme


def test_one_network_and_named_volumes(compose):
    assert list(compose["networks"]) == ["carebridge"]
    assert {"postgres-data", "rabbitmq-data"} <= set(compose["volumes"])
    assert any(v.startswith("postgres-data:") for v in compose["services"]["postgres"]["volumes"])


def test_postgres_creates_one_database_and_two_roles_per_service(root):
    script = (root / "deploy" / "postgres" / "init-databases.sh").read_text()
    assert "${CAREBRIDGE_SERVICES:-" + " ".join(SERVICES) + "}" in script
    assert "CREATE DATABASE %I OWNER %I" in script and 'owner="${service}_owner"' in script
    assert "${upper}_DB_OWNER_PASSWORD" in script and "${upper}_DB_PASSWORD" in script


def test_the_postgres_init_script_is_valid_shell(root):
    subprocess.run(["sh", "-n", str(root / "deploy" / "postgres" / "init-databases.sh")], check=True)
    subprocess.run(["sh", "-n", str(root / "deploy" / "rabbitmq" / "load-definitions.sh")], check=True)
    subprocess.run(["sh", "-n", str(root / "deploy" / "make-secrets.sh")], check=True)


@pytest.mark.parametrize("name", ["postgres", "rabbitmq"])
def test_the_database_and_the_broker_listen_on_this_machine_only(compose, name):
    for mapping in compose["services"][name]["ports"]:
        assert mapping.startswith("127.0.0.1:"), mapping


def login(url: str) -> tuple[str, str | None]:
    """User and password of a URL (the password may be a ${...} reference,
    which a URL parser would take for a query)."""
    match = re.match(r"^[a-z]+://(?P<user>[^:@/]+)(?::(?P<password>.*))?@[^@]+$", url)
    assert match, url
    return match["user"], match["password"]


def test_no_two_services_share_a_database_role_or_a_broker_user(compose):
    services = compose["services"]
    database_roles, broker_users = {}, {}
    for name in SERVICES:
        runtime = {login(environment(services[c])["DATABASE_URL"])[0] for c in (name, f"{name}-worker")}
        assert runtime == {name}, f"{name}'s API and worker log in to its database as its runtime role"
        owner = login(environment(services[f"{name}-migrate"])["DATABASE_URL"])[0]
        assert owner == f"{name}_owner" and environment(services[f"{name}-migrate"])["DATABASE_RUNTIME_ROLE"] == name
        database_roles[name] = {name, owner}
        broker_users[name] = [login(environment(services[c])["BROKER_URL"])[0] for c in (name, f"{name}-worker")]
        assert broker_users[name] == [f"{name}-api", name], "the API and the worker each have their own broker user"
    every_role = [role for roles in database_roles.values() for role in roles]
    every_user = [user for users in broker_users.values() for user in users]
    assert len(every_role) == len(set(every_role)) and len(every_user) == len(set(every_user))


def secrets_in(compose) -> dict[str, str]:
    """Every secret the file hands to a container: passwords in URLs,
    password and key variables."""
    found = {}
    for container, spec in compose["services"].items():
        for variable, value in environment(spec).items():
            value = str(value)
            if value.startswith(("postgresql://", "amqp://")):
                found[f"{container} {variable} password"] = login(value)[1]
            elif re.search(r"PASSWORD|PASS$|HMAC_KEY", variable):
                found[f"{container} {variable}"] = value
    return found


def test_no_database_broker_or_audit_secret_is_written_in_the_file(compose):
    secrets = secrets_in(compose)
    assert len(secrets) > 4 * len(SERVICES)
    for where, value in secrets.items():
        assert value and FROM_ENVIRONMENT.match(value), f"{where} is {value!r}: take it from the environment"


def test_each_role_has_a_secret_of_its_own(compose):
    secrets = secrets_in(compose)
    variables = [re.match(r"\$\{([A-Z0-9_]+)", value).group(1) for where, value in secrets.items()
                 if not where.startswith(("postgres ", "rabbitmq-definitions "))]
    per_service = {}
    for variable in variables:
        per_service.setdefault(variable.split("_", 1)[0].lower(), set()).add(variable)
    for name in SERVICES:
        assert per_service[name] == {f"{name.upper()}_{secret}" for secret in (
            "DB_OWNER_PASSWORD", "DB_PASSWORD", "BROKER_PASSWORD", "API_BROKER_PASSWORD", "AUDIT_HMAC_KEY")}, name


def test_the_secrets_script_makes_every_secret_the_file_asks_for(root, compose):
    made = subprocess.run(["sh", str(root / "deploy" / "make-secrets.sh")], capture_output=True, text=True,
                          check=True).stdout
    values = dict(line.split("=", 1) for line in made.splitlines())
    asked = {re.match(r"\$\{([A-Z0-9_]+)", value).group(1) for value in secrets_in(compose).values()}
    asked |= {re.match(r"\$\{([A-Z0-9_]+)", str(value)).group(1) for spec in compose["services"].values()
              for value in environment(spec).values() if FROM_ENVIRONMENT.match(str(value))}
    assert asked <= set(values)
    assert len(set(values.values())) == len(values), "every secret is different"
    assert all(len(value) >= 32 for value in values.values())


def test_workers_append_audit_checkpoints_to_a_volume_of_their_own(compose):
    for name in SERVICES:
        worker = compose["services"][f"{name}-worker"]
        folder = environment(worker)["AUDIT_CHECKPOINT_DIR"]
        assert f"{name}-audit-checkpoints:{folder}" in worker["volumes"]
