"""The Kustomize output validates against the Kubernetes schemas and is
consistent: probes, requests and limits everywhere, autoscalers and budgets
aimed at real Deployments, a migration Job per service, and an ingress that
routes every API path of every service."""
import shutil
import subprocess

import kubernetes_validate
import pytest
import yaml

from layout import SERVICES

KUBERNETES_VERSION = "1.32.0"


@pytest.fixture(scope="module")
def manifests(root):
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is needed to render the Kustomize overlay (Debian package kubectl)")
    rendered = subprocess.run(["kubectl", "kustomize", str(root / "deploy" / "k8s" / "overlays" / "example")],
                              capture_output=True, text=True, check=True).stdout
    return [doc for doc in yaml.safe_load_all(rendered) if doc]


def of_kind(manifests, kind):
    return {doc["metadata"]["name"]: doc for doc in manifests if doc["kind"] == kind}


def test_every_builtin_resource_validates_against_the_schemas(manifests):
    for doc in manifests:
        if doc["apiVersion"].startswith("keda.sh/"):
            continue  # a CRD: checked for consistency below
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_every_deployment_has_probes_requests_and_limits(manifests):
    deployments = of_kind(manifests, "Deployment")
    assert set(deployments) == {f"{s}-{c}" for s in SERVICES for c in ("api", "worker")}
    for name, deployment in deployments.items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                assert probe in container, f"{name} lacks {probe}"
            assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"]
            assert container["resources"]["limits"]["cpu"] and container["resources"]["limits"]["memory"]
    api = deployments["scheduling-api"]["spec"]["template"]["spec"]["containers"][0]
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_autoscalers_target_existing_deployments(manifests):
    deployments = of_kind(manifests, "Deployment")
    hpas = of_kind(manifests, "HorizontalPodAutoscaler")
    assert "scheduling-api" in hpas
    for hpa in hpas.values():
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
    scaled = of_kind(manifests, "ScaledObject")
    assert {f"{s}-worker" for s in ("careplans", "scheduling", "billing", "notifications")} <= set(scaled)
    for name, obj in scaled.items():
        assert obj["spec"]["scaleTargetRef"]["name"] in deployments
        trigger = obj["spec"]["triggers"][0]
        assert trigger["type"] == "rabbitmq" and trigger["metadata"]["queueName"] == name.replace("-worker", ".events")
        assert trigger["authenticationRef"]["name"] in of_kind(manifests, "TriggerAuthentication")


def test_disruption_budgets_select_real_pods(manifests):
    deployments = of_kind(manifests, "Deployment")
    labels = [d["spec"]["template"]["metadata"]["labels"] for d in deployments.values()]
    for name, budget in of_kind(manifests, "PodDisruptionBudget").items():
        selector = budget["spec"]["selector"]["matchLabels"]
        assert any(selector.items() <= pod.items() for pod in labels), name


def test_each_service_has_a_migration_job(manifests):
    jobs = of_kind(manifests, "Job")
    for service in SERVICES:
        container = jobs[f"{service}-migrate"]["spec"]["template"]["spec"]["containers"][0]
        assert container["command"] == ["carebridge", "migrate", service]


def test_secrets_are_referenced_never_inlined(manifests):
    assert of_kind(manifests, "Secret") == {}
    api = of_kind(manifests, "Deployment")["patients-api"]["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item for item in api["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "carebridge-patients-db"


SECRET_VARIABLES = {"DATABASE_URL", "BROKER_URL", "AUDIT_HMAC_KEY", "JWT_SECRET"}


def env_of(workload) -> dict:
    [container] = workload["spec"]["template"]["spec"]["containers"]
    return {item["name"]: item for item in container.get("env", [])}


def secret_ref(env: dict, name: str) -> tuple[str, str]:
    reference = env[name]["valueFrom"]["secretKeyRef"]
    return reference["name"], reference["key"]


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_database_broker_and_audit_secrets_of_its_own(manifests, service):
    deployments, jobs = of_kind(manifests, "Deployment"), of_kind(manifests, "Job")
    api, worker = env_of(deployments[f"{service}-api"]), env_of(deployments[f"{service}-worker"])
    migrate = env_of(jobs[f"{service}-migrate"])
    for env in (api, worker):
        assert secret_ref(env, "DATABASE_URL") == (f"carebridge-{service}-db", "DATABASE_URL")
        assert secret_ref(env, "AUDIT_HMAC_KEY") == (f"carebridge-{service}-audit", "AUDIT_HMAC_KEY")
    assert secret_ref(api, "BROKER_URL") == (f"carebridge-{service}-broker", "API_BROKER_URL")
    assert secret_ref(worker, "BROKER_URL") == (f"carebridge-{service}-broker", "WORKER_BROKER_URL")
    assert worker["AUDIT_CHECKPOINT_DIR"]["value"]
    # Migrations as the owner role, which grants the runtime role; nothing else.
    assert secret_ref(migrate, "DATABASE_URL") == (f"carebridge-{service}-db", "MIGRATION_DATABASE_URL")
    assert migrate["DATABASE_RUNTIME_ROLE"]["value"] == service
    assert set(migrate) == {"DATABASE_URL", "DATABASE_RUNTIME_ROLE"}


def test_no_secret_is_written_in_the_manifests_and_none_is_shared(manifests):
    used: dict[tuple[str, str], set[str]] = {}
    for doc in manifests:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        service = doc["metadata"]["labels"]["app.kubernetes.io/name"]
        for name, item in env_of(doc).items():
            if name in SECRET_VARIABLES:
                assert "valueFrom" in item and "value" not in item, f"{doc['metadata']['name']} writes {name}"
                if name != "JWT_SECRET":
                    used.setdefault(secret_ref(env_of(doc), name), set()).add(service)
            else:
                assert "://" not in str(item.get("value", "")), f"{doc['metadata']['name']} {name} holds a URL"
    shared = {reference: services for reference, services in used.items() if len(services) > 1}
    assert not shared, shared
    for data in of_kind(manifests, "ConfigMap").values():
        assert not SECRET_VARIABLES & set(data.get("data", {}))
    [monitor] = of_kind(manifests, "TriggerAuthentication").values()
    assert monitor["spec"]["secretTargetRef"][0]["name"] == "carebridge-queue-monitor"


def test_the_ingress_routes_every_api_path_to_its_service(manifests):
    from carebridge.runtime.discovery import installed_services
    from carebridge.web import create_app
    ingress = next(iter(of_kind(manifests, "Ingress").values()))
    routes = {p["path"]: p["backend"]["service"]["name"] for p in ingress["spec"]["rules"][0]["http"]["paths"]}
    # The kit's paths are every service's own: reached on each service, not
    # routed by the shared ingress.
    from carebridge.web import KIT_PATHS
    public = {"openapi.json", "docs", "static", *(path.strip("/") for path in KIT_PATHS)}
    for name, service in installed_services().items():
        app = create_app(service, {"database_url": "sqlite://", "broker_url": "memory://"})
        for rule in app.url_map.iter_rules():
            first = rule.rule.strip("/").split("/")[0]
            if first in public or not first:
                continue
            assert routes.get("/" + first) == name, f"{rule.rule} of {name} is not routed to it"
