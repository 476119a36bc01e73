"""Runs every test suite, each in its own pytest process as its team would
run it: the kit and each service (on SQLite, and again on PostgreSQL when one
is configured or under CI), then the whole-stack tests. Exits non-zero if
any suite failed, after running them all.

    python tools/run_tests.py [kit|services|stack] ...
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def postgres_configured() -> bool:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url.startswith(("postgresql", "postgres:")) or os.environ.get("CI", "").lower() == "true"


def suites(selected: set[str]):
    if not selected or "kit" in selected:
        yield "kit (sqlite)", ROOT / "shared", ["--db=sqlite"]
        if postgres_configured():
            yield "kit (postgresql)", ROOT / "shared", ["--db=postgresql"]
    if not selected or "services" in selected:
        for service in sorted((ROOT / "services").glob("*/pyproject.toml")):
            folder = service.parent
            yield f"{folder.name} (sqlite)", folder, ["--db=sqlite"]
            if postgres_configured():
                yield f"{folder.name} (postgresql)", folder, ["--db=postgresql"]
    if not selected or "deploy" in selected:
        yield "deployment", ROOT / "deploy", []
    if (not selected or "stack" in selected) and any((ROOT / "tests").rglob("test_*.py")):
        yield "whole stack", ROOT / "tests", []


def main(argv: list[str]) -> int:
    results = []
    for name, folder, args in suites(set(argv)):
        print(f"\n=== {name} ===", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=folder)
        results.append((name, code, time.monotonic() - started))
    print("\n=== summary ===")
    for name, code, seconds in results:
        print(f"{'passed' if code == 0 else 'FAILED':7} {name:<28} {seconds:6.1f}s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
