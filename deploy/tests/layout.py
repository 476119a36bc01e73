"""Where the deployment files are, and which services they cover: read from
the repository, so that a new service's files are checked as soon as they
exist (a fixed list would leave them out)."""
from pathlib import Path

from carebridge.config import SERVICE_PORTS

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
_ORDER = list(SERVICE_PORTS)


def _in_kit_order(names) -> list[str]:
    return sorted(names, key=lambda name: (_ORDER.index(name) if name in _ORDER else len(_ORDER), name))


# Every service package of the repository (services/<name>/pyproject.toml).
SERVICES = _in_kit_order(path.parent.name for path in (ROOT / "services").glob("*/pyproject.toml"))
# The stateless web apps with a Kustomize folder of their own: a client
# package with an image (clients/<name>/Dockerfile), e.g. the console. They
# have no database, migrations or worker.
K8S_WEB_APPS = sorted(path.parent.name for path in (K8S / "base").glob("*/kustomization.yaml")
                      if (ROOT / "clients" / path.parent.name / "Dockerfile").is_file())
# Every service's Kustomize folder (deploy/k8s/base/<name>/), `common` and the web apps aside.
K8S_SERVICES = _in_kit_order(path.parent.name for path in (K8S / "base").glob("*/kustomization.yaml")
                             if path.parent.name != "common" and path.parent.name not in K8S_WEB_APPS)
# Every kustomization: the base, each service's folder, the overlays.
KUSTOMIZATIONS = sorted(path.parent for path in K8S.rglob("kustomization.yaml"))
