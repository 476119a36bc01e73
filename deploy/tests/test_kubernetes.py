"""Every kustomization (the base, each service's folder, each overlay) renders
and validates in strict mode against two Kubernetes versions, and what makes
independent deploys work as shipped holds in each rendering:

- migrations run in an init container of every pod, with the release's image
  and nothing but the database URL, so they finish before the new code
  starts (two at once wait on the migration lock);
- no Deployment that an autoscaler manages sets `replicas` (each apply would
  reset the scale); scheduling's API scales on CPU and on requests per pod;
- every pod passes the Pod Security "restricted" profile, with a read-only
  root filesystem and no service account token;
- deny by default, and every Deployment has its NetworkPolicy: an API is
  reachable from the ingress and from the services that call it (read from
  their code), a worker reaches only the broker and its database;
- probes: API readiness is the database only, the worker's the broker,
  liveness never depends on another system; each API and worker has a
  ServiceMonitor; the production overlay names every image by digest;
- a stateless web app (the console) has no database, migrations or worker:
  it reaches DNS, the APIs it calls and the identity provider, nothing else,
  and takes its key and OpenID Connect client from a Secret.

Rendering uses `kubectl kustomize` (Kustomize built into kubectl); the CRDs
(KEDA, Prometheus operator) are checked here field by field, since
kubernetes-validate knows only the built-in kinds.
"""
import functools
import re
import shutil
import subprocess

import kubernetes_validate
import pytest
import yaml

from layout import K8S, K8S_SERVICES, K8S_WEB_APPS, KUSTOMIZATIONS, ROOT

# The oldest minor still supported by the main managed offerings and a recent
# one: both have every API used here (autoscaling/v2, policy/v1, networking/v1).
KUBERNETES_VERSIONS = ["1.30.0", "1.33.0"]
CRD_GROUPS = ("keda.sh/", "monitoring.coreos.com/")
COMPLETE = [K8S / "base", *sorted((K8S / "overlays").iterdir())]
PRODUCTION = K8S / "overlays" / "production"


def folder_id(folder) -> str:
    return str(folder.relative_to(K8S))


@functools.cache
def render(folder) -> tuple:
    if shutil.which("kubectl") is None:
        from carebridge.testing.infrastructure import unavailable
        unavailable("kubectl", "it renders the Kustomize folders (install kubectl)")
    result = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def of_kind(manifests, kind) -> dict:
    return {doc["metadata"]["name"]: doc for doc in manifests if doc["kind"] == kind}


def pod_templates(manifests):
    for doc in manifests:
        if doc["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"):
            yield doc["metadata"]["name"], doc["spec"]["template"]
        elif doc["kind"] == "CronJob":
            yield doc["metadata"]["name"], doc["spec"]["jobTemplate"]["spec"]["template"]
        elif doc["kind"] == "Pod":
            yield doc["metadata"]["name"], doc


def containers(pod_spec) -> list:
    return pod_spec.get("initContainers", []) + pod_spec["containers"]


def selects(selector: dict, labels: dict) -> bool:
    """A label selector (matchLabels and matchExpressions) against labels."""
    if not selector:
        return True
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def service_of(deployment) -> str:
    return deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"]


def component_of(deployment) -> str:
    return deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]


def is_web_app(deployment) -> bool:
    return service_of(deployment) in K8S_WEB_APPS


@pytest.fixture(scope="module")
def base():
    return render(K8S / "base")


# -- every kustomization renders and validates ---------------------------------

@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("folder", KUSTOMIZATIONS, ids=folder_id)
def test_every_kustomization_validates_in_strict_mode(folder, version):
    manifests = render(folder)
    assert manifests, f"{folder} renders nothing"
    for doc in manifests:
        if doc["apiVersion"].startswith(CRD_GROUPS):
            continue
        kubernetes_validate.validate(doc, version, strict=True)


def test_every_service_folder_is_in_the_base_and_every_deployment_is_rendered(base):
    resources = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())["resources"]
    assert set(K8S_SERVICES) <= set(resources) and set(K8S_WEB_APPS) <= set(resources)
    assert "console" in K8S_WEB_APPS
    assert set(of_kind(base, "Deployment")) == {f"{s}-{c}" for s in K8S_SERVICES for c in ("api", "worker")} \
        | set(K8S_WEB_APPS)


@pytest.mark.parametrize("service", K8S_SERVICES + K8S_WEB_APPS)
def test_everything_of_a_service_carries_its_name_label(service):
    """So that a team applies its own service alone: `kubectl apply -k
    <overlay> -l app.kubernetes.io/name=<service>`."""
    for doc in render(K8S / "base" / service):
        assert doc["metadata"].get("labels", {}).get("app.kubernetes.io/name") == service, \
            f"{doc['kind']} {doc['metadata']['name']}"


# -- 1. migrations -------------------------------------------------------------

@pytest.mark.parametrize("folder", KUSTOMIZATIONS, ids=folder_id)
def test_migrations_run_first_in_every_pod_with_only_the_database(folder):
    manifests = render(folder)
    assert of_kind(manifests, "Job") == {}, "no migration Job: fixed names break re-applies, apply does not wait"
    for name, deployment in of_kind(manifests, "Deployment").items():
        spec = deployment["spec"]["template"]["spec"]
        init = spec.get("initContainers", [])
        if is_web_app(deployment):
            # No database: nothing to migrate, and no database setting at all.
            assert init == [], name
            assert not {"DATABASE_URL", "BROKER_URL"} & {e["name"] for e in spec["containers"][0].get("env", [])}, name
            continue
        assert [c["name"] for c in init] == ["migrate"], name
        migrate, main = init[0], spec["containers"][0]
        assert migrate["command"] == ["carebridge", "migrate", service_of(deployment)], name
        assert migrate["image"] == main["image"], f"{name}: the migrations of the release being rolled out"
        # The owner role's database URL, and the name of the runtime role it
        # grants (issue 22): no other setting, no secret but the URL.
        assert "envFrom" not in migrate, name
        assert [e["name"] for e in migrate["env"]] == ["DATABASE_URL", "DATABASE_RUNTIME_ROLE"], name
        assert "secretKeyRef" in migrate["env"][0]["valueFrom"], name
        assert migrate["env"][1]["value"] == service_of(deployment), name
        assert migrate["resources"]["limits"]["memory"] and migrate["resources"]["requests"]["cpu"], name


# -- 2. probes -----------------------------------------------------------------

def probe_path(container, probe) -> str:
    return container[probe]["httpGet"]["path"]


def test_probes_and_resources_of_every_deployment(base):
    for name, deployment in of_kind(base, "Deployment").items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"], name
        assert container["resources"]["limits"]["cpu"] and container["resources"]["limits"]["memory"], name
        # Liveness and start-up ask only the process itself.
        assert probe_path(container, "livenessProbe") == "/healthz", name
        assert probe_path(container, "startupProbe") == "/healthz", name
        if is_web_app(deployment):
            # A web app depends on nothing to be ready: a service that does
            # not answer is a message on its page, not a pod taken out.
            assert probe_path(container, "readinessProbe") == "/healthz", name
            assert container["readinessProbe"]["httpGet"]["port"] == "http", name
            continue
        # Readiness: an API its database (/readyz), a worker its broker (/readyz on the health port).
        assert probe_path(container, "readinessProbe") == "/readyz", name
        port = container["readinessProbe"]["httpGet"]["port"]
        assert port == ("http" if component_of(deployment) == "api" else "health"), name


# -- 3. autoscaling --------------------------------------------------------------

def scaled_targets(manifests) -> set[str]:
    targets = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in of_kind(manifests, "HorizontalPodAutoscaler").values()}
    return targets | {obj["spec"]["scaleTargetRef"]["name"] for obj in of_kind(manifests, "ScaledObject").values()}


@pytest.mark.parametrize("folder", KUSTOMIZATIONS, ids=folder_id)
def test_no_replicas_on_a_deployment_an_autoscaler_manages(folder):
    manifests = render(folder)
    deployments = of_kind(manifests, "Deployment")
    for target in scaled_targets(manifests):
        assert target in deployments, f"an autoscaler aims at {target}, which is not rendered here"
        assert "replicas" not in deployments[target]["spec"], f"{target}: every apply would reset its scale"


def test_workers_scale_on_their_queue(base):
    scaled = of_kind(base, "ScaledObject")
    consumers = {s for s in K8S_SERVICES if s != "patients"}  # patients consumes no event
    assert {f"{s}-worker" for s in consumers} <= set(scaled)
    for service in consumers:
        trigger = scaled[f"{service}-worker"]["spec"]["triggers"][0]
        assert trigger["type"] == "rabbitmq" and trigger["metadata"]["queueName"] == f"{service}.events"
        assert trigger["authenticationRef"]["name"] in of_kind(base, "TriggerAuthentication")


@pytest.mark.parametrize("folder", COMPLETE, ids=folder_id)
def test_scheduling_api_scales_on_cpu_and_requests_per_pod_fast_up_slow_down(folder):
    manifests = render(folder)
    assert "scheduling-api" not in of_kind(manifests, "HorizontalPodAutoscaler"), "KEDA makes the HPA"
    spec = of_kind(manifests, "ScaledObject")["scheduling-api"]["spec"]
    assert 2 <= spec["minReplicaCount"] < spec["maxReplicaCount"]
    triggers = {trigger["type"]: trigger for trigger in spec["triggers"]}
    assert triggers["cpu"]["metricType"] == "Utilization" and 0 < int(triggers["cpu"]["metadata"]["value"]) < 100
    rate = triggers["prometheus"]
    assert rate["metricType"] == "AverageValue", "requests per pod, not in total"
    assert "carebridge_http_requests_total" in rate["metadata"]["query"]
    assert 'service="scheduling"' in rate["metadata"]["query"] and int(rate["metadata"]["threshold"]) > 0
    behavior = spec["advanced"]["horizontalPodAutoscalerConfig"]["behavior"]
    assert behavior["scaleUp"]["stabilizationWindowSeconds"] == 0
    assert {(p["type"], p["value"], p["periodSeconds"]) for p in behavior["scaleUp"]["policies"]} \
        == {("Percent", 100, 30), ("Pods", 4, 30)}
    assert behavior["scaleUp"]["selectPolicy"] == "Max"
    assert behavior["scaleDown"]["stabilizationWindowSeconds"] >= 300
    assert behavior["scaleDown"]["policies"] == [{"type": "Pods", "value": 1, "periodSeconds": 60}]


def test_every_autoscaler_and_budget_aims_at_real_pods(base):
    deployments = of_kind(base, "Deployment")
    assert scaled_targets(base) <= set(deployments)
    labels = [d["spec"]["template"]["metadata"]["labels"] for d in deployments.values()]
    for name, budget in of_kind(base, "PodDisruptionBudget").items():
        assert any(selects(budget["spec"]["selector"], pod) for pod in labels), name


# -- 4. hardening ----------------------------------------------------------------

ALLOWED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                   "projected", "secret"}


@pytest.mark.parametrize("folder", KUSTOMIZATIONS, ids=folder_id)
def test_every_pod_passes_the_restricted_pod_security_profile(folder):
    """The rules of https://kubernetes.io/docs/concepts/security/pod-security-standards/
    (baseline and restricted), plus a read-only root filesystem and no
    service account token (no pod here talks to the Kubernetes API)."""
    for name, template in pod_templates(render(folder)):
        spec = template["spec"]
        pod = spec.get("securityContext", {})
        assert spec.get("automountServiceAccountToken") is False, name
        for host in ("hostNetwork", "hostPID", "hostIPC"):
            assert not spec.get(host), f"{name}: {host}"
        for volume in spec.get("volumes", []):
            kinds = set(volume) - {"name"}
            assert kinds <= ALLOWED_VOLUMES, f"{name}: volume {volume['name']} is {kinds}"
        assert not pod.get("sysctls"), name
        assert pod.get("runAsUser", 1) != 0, name
        for container in containers(spec):
            label = f"{name}/{container['name']}"
            context = container.get("securityContext", {})
            assert context.get("privileged", False) is False, label
            assert context.get("allowPrivilegeEscalation") is False, label
            assert "ALL" in context.get("capabilities", {}).get("drop", []), label
            assert set(context.get("capabilities", {}).get("add", [])) <= {"NET_BIND_SERVICE"}, label
            assert context.get("runAsNonRoot", pod.get("runAsNonRoot")) is True, label
            assert context.get("runAsUser", pod.get("runAsUser", 1)) != 0, label
            seccomp = context.get("seccompProfile", pod.get("seccompProfile", {})).get("type")
            assert seccomp in ("RuntimeDefault", "Localhost"), f"{label}: seccompProfile {seccomp}"
            assert context.get("readOnlyRootFilesystem") is True, label
            assert context.get("procMount", "Default") == "Default", label
            assert not any(port.get("hostPort") for port in container.get("ports", [])), label


@pytest.mark.parametrize("folder", sorted((K8S / "overlays").iterdir()), ids=folder_id)
def test_every_environment_enforces_the_restricted_profile(folder):
    manifests = render(folder)
    [namespace] = of_kind(manifests, "Namespace").values()
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert {doc["metadata"].get("namespace") for doc in manifests if doc["kind"] != "Namespace"} \
        == {namespace["metadata"]["name"]}


def network_policies_for(manifests, labels: dict) -> list:
    return [p for p in of_kind(manifests, "NetworkPolicy").values() if selects(p["spec"]["podSelector"], labels)]


def peers_and_ports(policies, direction: str) -> list[tuple[dict, list]]:
    rules = [rule for policy in policies for rule in policy["spec"].get(direction, [])]
    side = "from" if direction == "ingress" else "to"
    return [(peer, rule.get("ports", [])) for rule in rules for peer in rule.get(side, [{}])]


def allows(policies, direction: str, pod_labels: dict, namespace: str | None = None, port=None) -> bool:
    """Whether some rule lets `pod_labels` (in `namespace`, None: our own)
    through on `port`."""
    for peer, ports in peers_and_ports(policies, direction):
        if "ipBlock" in peer:
            continue
        if namespace is None and "namespaceSelector" in peer:
            continue
        if namespace is not None and not selects(peer.get("namespaceSelector", {"matchLabels": {"x": "x"}}),
                                                 {"kubernetes.io/metadata.name": namespace}):
            continue
        if not selects(peer.get("podSelector", {}), pod_labels):
            continue
        if port is None or not ports or any(p.get("port") == port for p in ports):
            return True
    return False


# Which pods of a calling service make its calls: scheduling's API confirms a
# patient before booking; the notifications worker's sender asks for the
# names of a visit's place and practitioner.
CALLING_COMPONENT = {"scheduling": "api", "notifications": "worker"}
# A call made from another component than the caller's usual one: the
# notifications API's secure page of a sent plan summary reads careplans.
CALLING_COMPONENT_OF_CALL = {("notifications", "careplans"): "api"}


def calls_between_services() -> set[tuple[str, str]]:
    """(caller, called) for every `client("<service>")` in a service's code."""
    found = set()
    for source in (ROOT / "services").glob("*/carebridge_*/**/*.py"):
        caller = source.relative_to(ROOT / "services").parts[0]
        found |= {(caller, called) for called in re.findall(r"\.client\(\"(\w+)\"\)", source.read_text())}
    return found


@pytest.mark.parametrize("folder", COMPLETE, ids=folder_id)
def test_deny_by_default_and_a_network_policy_for_every_deployment(folder):
    manifests = render(folder)
    deny = [p for p in of_kind(manifests, "NetworkPolicy").values()
            if p["spec"]["podSelector"] == {} and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
            and not p["spec"].get("ingress") and not p["spec"].get("egress")]
    assert deny, "a default-deny policy for every pod of the namespace"
    for name, deployment in of_kind(manifests, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        own = [p for p in network_policies_for(manifests, labels) if p not in deny]
        assert own, f"{name} has no NetworkPolicy of its own"
        assert allows(own, "egress", {"k8s-app": "kube-dns"}, "kube-system", 53), f"{name}: DNS"
        if is_web_app(deployment):
            for data in ("postgresql", "rabbitmq"):
                assert not allows(own, "egress", {"app.kubernetes.io/name": data}, "carebridge-data"), \
                    f"{name} reaches {data}"
            continue
        assert allows(own, "egress", {"app.kubernetes.io/name": "postgresql"}, "carebridge-data", 5432), \
            f"{name}: its database"
        assert allows(own, "ingress", {"app.kubernetes.io/name": "prometheus"}, "monitoring",
                      "http" if component_of(deployment) == "api" else "health"), f"{name}: metrics scraping"


@pytest.mark.parametrize("folder", COMPLETE, ids=folder_id)
def test_apis_are_reachable_from_the_ingress_and_their_callers_only(folder):
    manifests = render(folder)
    deployments = of_kind(manifests, "Deployment")
    calls = calls_between_services()
    assert ("scheduling", "patients") in calls  # the scheduling API confirms a patient before booking
    ingress_controller = {"app.kubernetes.io/name": "ingress-nginx"}
    for service in K8S_SERVICES:
        api = deployments[f"{service}-api"]["spec"]["template"]["metadata"]["labels"]
        policies = network_policies_for(manifests, api)
        assert allows(policies, "ingress", ingress_controller, "ingress-nginx", "http"), service
        for other in K8S_SERVICES:
            for component in ("api", "worker"):
                caller = deployments[f"{other}-{component}"]["spec"]["template"]["metadata"]["labels"]
                expected = (other, service) in calls and CALLING_COMPONENT_OF_CALL.get(
                    (other, service), CALLING_COMPONENT.get(other)) == component
                assert allows(policies, "ingress", caller, None, "http") is expected, \
                    f"{other} {component} -> {service}"
                caller_policies = network_policies_for(manifests, caller)
                assert allows(caller_policies, "egress", api, None, "http") is expected, \
                    f"{other} {component} -> {service}"
        # An API needs no broker: its events go through the outbox in its database.
        assert not allows(policies, "egress", {"app.kubernetes.io/name": "rabbitmq"}, "carebridge-data"), service


# Where a worker must reach beyond the broker and its database: the
# notifications worker sends email (SMTP submission), SMS and webhooks (HTTPS)
# to systems outside the cluster.
OUTSIDE = {"notifications": {443, 465, 587}}


@pytest.mark.parametrize("folder", COMPLETE, ids=folder_id)
def test_workers_reach_only_the_broker_and_their_database(folder):
    manifests = render(folder)
    inside = {"kube-dns": 53, "postgresql": 5432, "rabbitmq": 5672}
    for name, deployment in of_kind(manifests, "Deployment").items():
        if component_of(deployment) != "worker":
            continue
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        policies = network_policies_for(manifests, labels)
        assert allows(policies, "egress", {"app.kubernetes.io/name": "rabbitmq"}, "carebridge-data", 5672), name
        for peer, ports in peers_and_ports(policies, "egress"):
            numbers = {p.get("port") for p in ports}
            assert ports, f"{name}: an egress rule without ports"
            if "ipBlock" in peer:
                assert numbers <= OUTSIDE.get(service_of(deployment), set()), f"{name}: {peer} {numbers}"
                assert peer["ipBlock"]["cidr"] == "0.0.0.0/0" and {"10.0.0.0/8", "172.16.0.0/12",
                                                                     "192.168.0.0/16"} <= set(peer["ipBlock"]["except"])
                continue
            target = {**peer.get("podSelector", {}).get("matchLabels", {})}
            target_name = target.get("k8s-app") or target.get("app.kubernetes.io/name")
            if target.get("app.kubernetes.io/component") == "api":
                caller = service_of(deployment)
                assert (caller, target_name) in calls_between_services() and \
                    CALLING_COMPONENT.get(caller) == "worker" and numbers == {"http"}, f"{name}: {peer} {numbers}"
                continue
            assert target_name in inside and numbers <= {inside[target_name], 5671}, f"{name}: {peer} {numbers}"
        assert all("namespaceSelector" in peer for peer, _ in peers_and_ports(policies, "ingress")), \
            f"{name}: nothing in the namespace calls a worker (only Prometheus scrapes it)"


@pytest.mark.parametrize("folder", COMPLETE, ids=folder_id)
def test_a_service_monitor_for_every_api_and_worker(folder):
    manifests = render(folder)
    services = of_kind(manifests, "Service")
    monitors = of_kind(manifests, "ServiceMonitor")
    for name, deployment in of_kind(manifests, "Deployment").items():
        if is_web_app(deployment):
            continue   # the console serves no /metrics; the APIs it calls count its requests
        pod = deployment["spec"]["template"]
        ports = {p["name"]: p["containerPort"] for p in pod["spec"]["containers"][0]["ports"]}
        scraped = False
        for monitor in monitors.values():
            for service in services.values():
                if not (selects(monitor["spec"]["selector"], service["metadata"].get("labels", {}))
                        and selects({"matchLabels": service["spec"]["selector"]}, pod["metadata"]["labels"])):
                    continue
                service_ports = {p["name"]: p["targetPort"] for p in service["spec"]["ports"]}
                for endpoint in monitor["spec"]["endpoints"]:
                    target = service_ports.get(endpoint["port"])
                    if target in ports or target in ports.values():
                        assert endpoint["path"] == "/metrics", name
                        scraped = True
        assert scraped, f"{name} is scraped by no ServiceMonitor"


def test_worker_metrics_stay_scraped_while_the_worker_is_unready(base):
    """An unready worker (broker away) is exactly when its metrics matter."""
    for name, service in of_kind(base, "Service").items():
        if service["spec"]["selector"].get("app.kubernetes.io/component") == "worker":
            assert service["spec"].get("publishNotReadyAddresses") is True, name


def test_the_production_overlay_names_every_image_by_digest():
    for name, template in pod_templates(render(PRODUCTION)):
        for container in containers(template["spec"]):
            assert re.fullmatch(r"[\w.\-/:]+@sha256:[0-9a-f]{64}", container["image"]), \
                f"{name}/{container['name']}: {container['image']}"


# -- the rest of what the manifests promise ------------------------------------

def test_secrets_are_referenced_never_inlined(base):
    assert of_kind(base, "Secret") == {}
    api = of_kind(base, "Deployment")["patients-api"]["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item for item in api["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "carebridge-patients-db"


def test_no_pod_holds_a_token_signing_key(base):
    """Issue 22: only the identity provider signs. Pods get its JWKS, and
    only the pods that call another service (scheduling's API, the
    notifications worker) a client secret, which gets them their own
    identity and nothing more."""
    from carebridge.config import Settings
    holders = set()
    for name, pod in of_kind(base, "Deployment").items():
        for container in containers(pod["spec"]["template"]["spec"]):
            names = {item["name"] for item in container.get("env", [])}
            assert not names & {"JWT_SECRET", "JWT_PRIVATE_KEY", "JWT_ALLOW_SYMMETRIC"}, name
            if "SERVICE_CLIENT_SECRET" in names:
                holders.add(name)
    assert holders == {f"{service}-{component}" for service, component in CALLING_COMPONENT.items()}
    config = of_kind(base, "ConfigMap")["carebridge-config"]["data"]
    assert not set(config) & {"JWT_SECRET", "JWT_PRIVATE_KEY", "JWT_ALLOW_SYMMETRIC"}
    settings = Settings.from_env("scheduling", {**config, "BROKER_URL": "amqp://scheduling:pw@broker",
                                                "DATABASE_URL": "postgresql://db/scheduling",
                                                "AUDIT_HMAC_KEY": "k" * 32})
    assert settings.is_production and settings.jwt_jwks_url and settings.service_token_url


SECRET_VARIABLES = {"DATABASE_URL", "BROKER_URL", "AUDIT_HMAC_KEY", "JWT_SECRET", "SERVICE_CLIENT_SECRET",
                    "CONSOLE_SECRET_KEY", "OIDC_CLIENT_SECRET"}


def env_of(workload, container_name: str | None = None) -> dict:
    """The env of the workload's main container, or of the named one (e.g. the `migrate` init container)."""
    spec = workload["spec"]["template"]["spec"]
    [container] = ([c for c in containers(spec) if c["name"] == container_name] if container_name
                   else spec["containers"])
    return {item["name"]: item for item in container.get("env", [])}


def secret_ref(env: dict, name: str) -> tuple[str, str]:
    reference = env[name]["valueFrom"]["secretKeyRef"]
    return reference["name"], reference["key"]


@pytest.mark.parametrize("service", K8S_SERVICES)
def test_each_service_has_database_broker_and_audit_secrets_of_its_own(base, service):
    deployments = of_kind(base, "Deployment")
    api, worker = env_of(deployments[f"{service}-api"]), env_of(deployments[f"{service}-worker"])
    for env in (api, worker):
        assert secret_ref(env, "DATABASE_URL") == (f"carebridge-{service}-db", "DATABASE_URL")
        assert secret_ref(env, "AUDIT_HMAC_KEY") == (f"carebridge-{service}-audit", "AUDIT_HMAC_KEY")
    assert secret_ref(api, "BROKER_URL") == (f"carebridge-{service}-broker", "API_BROKER_URL")
    assert secret_ref(worker, "BROKER_URL") == (f"carebridge-{service}-broker", "WORKER_BROKER_URL")
    assert worker["AUDIT_CHECKPOINT_DIR"]["value"]
    # Migrations (each pod's init container) as the owner role, which grants
    # the runtime role; nothing else.
    for workload in (f"{service}-api", f"{service}-worker"):
        migrate = env_of(deployments[workload], "migrate")
        assert secret_ref(migrate, "DATABASE_URL") == (f"carebridge-{service}-db", "MIGRATION_DATABASE_URL")
        assert migrate["DATABASE_RUNTIME_ROLE"]["value"] == service
        assert set(migrate) == {"DATABASE_URL", "DATABASE_RUNTIME_ROLE"}


def test_no_secret_is_written_in_the_manifests_and_none_is_shared(base):
    used: dict[tuple[str, str], set[str]] = {}
    for doc in base:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        service = doc["metadata"]["labels"]["app.kubernetes.io/name"]
        for name, item in env_of(doc).items():
            if name in SECRET_VARIABLES:
                assert "valueFrom" in item and "value" not in item, f"{doc['metadata']['name']} writes {name}"
                used.setdefault(secret_ref(env_of(doc), name), set()).add(service)
            else:
                assert "://" not in str(item.get("value", "")), f"{doc['metadata']['name']} {name} holds a URL"
    shared = {reference: services for reference, services in used.items() if len(services) > 1}
    assert not shared, shared
    for data in of_kind(base, "ConfigMap").values():
        assert not SECRET_VARIABLES & set(data.get("data", {}))
    [monitor] = of_kind(base, "TriggerAuthentication").values()
    assert monitor["spec"]["secretTargetRef"][0]["name"] == "carebridge-queue-monitor"


def test_the_ingress_routes_every_api_path_to_its_service(base):
    from carebridge.runtime.discovery import installed_services
    from carebridge.web import create_app
    ingress = of_kind(base, "Ingress")["carebridge"]
    routes = {p["path"]: p["backend"]["service"]["name"] for p in ingress["spec"]["rules"][0]["http"]["paths"]}
    # The kit's paths are every service's own: reached on each service, not
    # routed by the shared ingress.
    from carebridge.web import KIT_PATHS
    public = {"openapi.json", "docs", "static", *(path.strip("/").split("/")[0] for path in KIT_PATHS)}
    for name, service in installed_services().items():
        app = create_app(service, {"database_url": "sqlite://", "broker_url": "memory://"})
        for rule in app.url_map.iter_rules():
            segments = rule.rule.strip("/").split("/")
            first = segments[0]
            if first in public or not first:
                continue
            if first == "fhir":
                # FHIR resource types are routed one by one to their owner;
                # each service's /fhir/R4/metadata is its own.
                if len(segments) < 3 or segments[2] == "metadata":
                    continue
                first = "/".join(segments[:3])
            assert routes.get("/" + first) == name, f"{rule.rule} of {name} is not routed to it"


# -- the console: a stateless web app -------------------------------------------

def console_calls() -> set[str]:
    """The services the console calls: those its settings give an address."""
    from carebridge_console.settings import DEFAULT_PORTS
    return set(DEFAULT_PORTS)


@pytest.mark.parametrize("folder", COMPLETE, ids=folder_id)
def test_the_console_reaches_the_apis_it_calls_and_the_identity_provider_only(folder):
    manifests = render(folder)
    deployments = of_kind(manifests, "Deployment")
    console = deployments["console"]["spec"]["template"]["metadata"]["labels"]
    own = network_policies_for(manifests, console)
    assert console_calls() <= set(K8S_SERVICES) and console_calls()
    for service in K8S_SERVICES:
        api = deployments[f"{service}-api"]["spec"]["template"]["metadata"]["labels"]
        expected = service in console_calls()
        assert allows(own, "egress", api, None, "http") is expected, f"console -> {service}"
        assert allows(network_policies_for(manifests, api), "ingress", console, None, "http") is expected, \
            f"{service} lets the console in"
        worker = deployments[f"{service}-worker"]["spec"]["template"]["metadata"]["labels"]
        assert not allows(own, "egress", worker, None), f"console -> {service} worker"
    # In: the ingress controller only (Prometheus aside, as for every pod).
    ingress_peers = [peer for peer, _ in peers_and_ports(own, "ingress")]
    assert allows(own, "ingress", {"app.kubernetes.io/name": "ingress-nginx"}, "ingress-nginx", "http")
    assert not allows(own, "ingress", deployments["patients-api"]["spec"]["template"]["metadata"]["labels"], None)
    assert all("namespaceSelector" in peer for peer in ingress_peers)
    # Out of the cluster: HTTPS to the identity provider, never a private address.
    for peer, ports in peers_and_ports(own, "egress"):
        if "ipBlock" in peer:
            assert {p.get("port") for p in ports} == {443}, peer
            assert {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} <= set(peer["ipBlock"]["except"])


def test_the_console_gets_its_key_and_sign_in_client_from_a_secret_and_starts_in_production(base):
    """Its settings, as the pod gets them (the ConfigMaps, and stand-ins for
    the Secret's values), make a production console: OpenID Connect sign-in,
    Secure cookie, the services at their in-cluster addresses."""
    from carebridge_console.settings import ConsoleSettings
    web = of_kind(base, "Deployment")["console"]["spec"]["template"]["spec"]["containers"][0]
    env = env_of(of_kind(base, "Deployment")["console"])
    for name in ("CONSOLE_SECRET_KEY", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        assert secret_ref(env, name) == ("carebridge-console", name)
    configs = of_kind(base, "ConfigMap")
    environ = {}
    for source in web["envFrom"]:
        environ.update(configs[source["configMapRef"]["name"]]["data"])
    environ.update({"CONSOLE_SECRET_KEY": "k" * 43, "OIDC_ISSUER": "https://login.example.org/realms/carebridge",
                    "OIDC_CLIENT_ID": "carebridge-console", "OIDC_CLIENT_SECRET": "s" * 32})
    settings = ConsoleSettings.from_env(environ)
    assert settings.environment == "production" and settings.cookie_secure
    assert settings.public_url and settings.public_url.startswith("https://")
    assert settings.service_urls == {name: f"http://{name}:8000" for name in console_calls()}
    assert of_kind(base, "Service")["console"]["spec"]["sessionAffinity"] == "ClientIP"


@pytest.mark.parametrize("folder", COMPLETE, ids=folder_id)
def test_the_console_has_a_host_of_its_own_with_sticky_sessions(folder):
    """Its pages share first segments with the APIs' paths (/patients...), so
    it is served on its own host; a person's requests go to the pod holding
    their session, and its public address is that host."""
    manifests = render(folder)
    ingresses = of_kind(manifests, "Ingress")
    console, apis = ingresses["console"], ingresses["carebridge"]
    [rule] = console["spec"]["rules"]
    assert rule["host"] != apis["spec"]["rules"][0]["host"]
    assert [(p["path"], p["backend"]["service"]["name"]) for p in rule["http"]["paths"]] == [("/", "console")]
    annotations = console["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert annotations["nginx.ingress.kubernetes.io/session-cookie-secure"] == "true"
    assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off", "the live inbox stream"
    public = of_kind(manifests, "ConfigMap")["carebridge-console"]["data"]["CONSOLE_PUBLIC_URL"]
    assert public == f"https://{rule['host']}"
