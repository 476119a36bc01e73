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


def test_no_pod_holds_a_token_signing_key(manifests):
    """Issue 22: only the identity provider signs. Pods get its JWKS, and
    only scheduling's API (the one service that calls another) a client
    secret, which gets it its own identity and nothing more."""
    from carebridge.config import Settings
    pods = {**of_kind(manifests, "Deployment"), **of_kind(manifests, "Job")}
    holders = set()
    for name, pod in pods.items():
        for container in pod["spec"]["template"]["spec"]["containers"]:
            names = {item["name"] for item in container.get("env", [])}
            assert not names & {"JWT_SECRET", "JWT_PRIVATE_KEY", "JWT_ALLOW_SYMMETRIC"}, name
            if "SERVICE_CLIENT_SECRET" in names:
                holders.add(name)
    assert holders == {"scheduling-api"}
    config = of_kind(manifests, "ConfigMap")["carebridge-config"]["data"]
    assert not set(config) & {"JWT_SECRET", "JWT_PRIVATE_KEY", "JWT_ALLOW_SYMMETRIC"}
    settings = Settings.from_env("scheduling", {**config, "BROKER_URL": "amqp://broker",
                                                "DATABASE_URL": "postgresql://db/scheduling"})
    assert settings.is_production and settings.jwt_jwks_url and settings.service_token_url


def test_the_ingress_routes_every_api_path_to_its_service(manifests):
    from carebridge.runtime.discovery import installed_services
    from carebridge.web import create_app
    ingress = next(iter(of_kind(manifests, "Ingress").values()))
    routes = {p["path"]: p["backend"]["service"]["name"] for p in ingress["spec"]["rules"][0]["http"]["paths"]}
    public = {"healthz", "readyz", "metrics", "openapi.json", "docs", "static"}
    for name, service in installed_services().items():
        app = create_app(service, {"database_url": "sqlite://", "broker_url": "memory://"})
        for rule in app.url_map.iter_rules():
            first = rule.rule.strip("/").split("/")[0]
            if first in public or not first:
                continue
            assert routes.get("/" + first) == name, f"{rule.rule} of {name} is not routed to it"
