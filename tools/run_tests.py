"""Runs every test suite, each in its own pytest process as its team would
run it: the kit and each service (on SQLite, and again on PostgreSQL when one
is configured or under CI), the deployment checks, the Python client's
tests (against the embedded stack), the compatibility gate,
then the whole-stack tests. Exits non-zero if any suite failed, after running
them all.

    python tools/run_tests.py [kit|services|deploy|client|gate|console|stack] ...

The gate compares the event catalogue and every service's OpenAPI document
with the previous commit (HEAD~1: on main, the previous commit of main; for
a merge commit, main before the merge). On the first commit there is nothing
to compare with and it passes saying so; in a shallow clone without HEAD~1 it
cannot run, which fails under CI (fetch one more commit: `git fetch
--deepen=1`) and is skipped elsewhere.
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


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def gate_commands() -> list[list[str]] | str:
    """The gate's two checks against HEAD~1, or why they cannot run."""
    if _git("rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0:
        return "skipped: not a git checkout with a commit"
    if _git("rev-parse", "--verify", "--quiet", "HEAD~1^{commit}").returncode != 0:
        if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
            return "cannot run: HEAD~1 is not in this shallow clone (git fetch --deepen=1)"
        return "passed: the first commit has no older contracts to keep"
    carebridge = str(Path(sys.executable).parent / "carebridge")
    return [[carebridge, what, "check", "--against", "HEAD~1"] for what in ("events", "openapi")]


def run_gate() -> int:
    commands = gate_commands()
    if isinstance(commands, str):
        print(f"compatibility gate {commands}")
        return 1 if commands.startswith("cannot") and in_ci() else 0
    return max(subprocess.call(command, cwd=ROOT) for command in commands)


def suites(selected: set[str]):
    """(name, folder, pytest command or a function returning an exit status)."""
    if not selected or "kit" in selected:
        yield "kit (sqlite)", ROOT / "shared", pytest("--db=sqlite")
        if postgres_configured():
            yield "kit (postgresql)", ROOT / "shared", pytest("--db=postgresql")
    if not selected or "services" in selected:
        for service in sorted((ROOT / "services").glob("*/pyproject.toml")):
            folder = service.parent
            yield f"{folder.name} (sqlite)", folder, pytest("--db=sqlite")
            if postgres_configured():
                yield f"{folder.name} (postgresql)", folder, pytest("--db=postgresql")
    if not selected or "deploy" in selected:
        yield "deployment", ROOT / "deploy", pytest()
    if not selected or "client" in selected:
        yield "python client", ROOT / "clients" / "python", pytest()
    if not selected or "gate" in selected:
        yield "compatibility gate", ROOT, run_gate
    if (not selected or "console" in selected) and (ROOT / "clients" / "console" / "tests").is_dir():
        # The coordinator console in a real Chromium, against the embedded stack.
        yield "console (browser)", ROOT / "clients" / "console", pytest()
    if (not selected or "stack" in selected) and any((ROOT / "tests").rglob("test_*.py")):
        yield "whole stack", ROOT / "tests", pytest()


def main(argv: list[str]) -> int:
    results = []
    for name, folder, command in suites(set(argv)):
        print(f"\n=== {name} ===", flush=True)
        started = time.monotonic()
        code = command() if callable(command) else subprocess.call(command, cwd=folder)
        results.append((name, code, time.monotonic() - started))
    print("\n=== summary ===")
    for name, code, seconds in results:
        print(f"{'passed' if code == 0 else 'FAILED':7} {name:<28} {seconds:6.1f}s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
