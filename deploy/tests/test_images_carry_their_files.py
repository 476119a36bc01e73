"""A service image installs its package for real (not editable): the wheel
must carry the migrations and the data files the code reads at run time, or
the container starts without its schema or its reference data."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from layout import ROOT, SERVICES

RUNTIME_FILES = ("*.json", "*.html", "*.mako", "*.txt", "*.sql")


def files_the_code_needs(package_dir: Path) -> set[str]:
    needed = {str(p.relative_to(package_dir.parent)) for p in package_dir.rglob("migrations/versions/*.py")}
    needed |= {str(p.relative_to(package_dir.parent)) for p in package_dir.rglob("alembic/**/*.py")}
    for pattern in RUNTIME_FILES:
        needed |= {str(p.relative_to(package_dir.parent)) for p in package_dir.rglob(pattern)}
    return needed


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheels")
    build = tmp_path_factory.mktemp("build")
    sources = [ROOT / "shared"] + [ROOT / "services" / s for s in SERVICES]
    for source in sources:
        # Build from a copy: setuptools leaves a build/ folder behind.
        copy = build / source.name
        subprocess.run(["cp", "-r", str(source), str(copy)], check=True)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                        "-w", str(out), str(copy)], check=True, capture_output=True)
    return {path.name.split("-")[0]: path for path in out.glob("*.whl")}


@pytest.mark.parametrize("package", ["carebridge"] + [f"carebridge_{s}" for s in SERVICES])
def test_the_wheel_carries_migrations_and_data_files(wheels, package):
    source = ROOT / "shared" / package if package == "carebridge" else ROOT / "services" / package.split("_", 1)[1] / package
    wheel = wheels["carebridge_kit" if package == "carebridge" else package]
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
    missing = sorted(files_the_code_needs(source) - inside)
    assert not missing, f"{wheel.name} lacks {missing}"
