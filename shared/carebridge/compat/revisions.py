"""Describing the contracts of another git revision.

The older revision is built, not read from a committed copy: `git archive`
writes its `shared/` and `services/` to a temporary folder, and `describe.py`
runs in a child process with that tree first on PYTHONPATH, so the old
catalogue registers itself and the old services build their own OpenAPI
documents. Nothing generated has to be kept current or merged, and any
revision with this layout can be compared, including those made before the
gate existed. The current side is described the same way, in a child process
on the installed code, so that both are made alike and the caller's process
imports no service.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

DESCRIBER = Path(__file__).with_name("describe.py")
# Runs describe.py as a script without putting its folder on sys.path (the
# folder's module names would shadow top-level ones).
_RUNNER = ("import runpy, sys; path = sys.argv[1]; sys.argv = [path] + sys.argv[2:]; "
           "runpy.run_path(path, run_name='__main__')")
# The development defaults let any revision build its apps without secrets.
_DROPPED_VARIABLES = ("CAREBRIDGE_ENV", "CAREBRIDGE_CLOCK", "PYTHONPATH")


class RevisionError(RuntimeError):
    """The revision cannot be found or described."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True)


def resolve(repo: Path, ref: str) -> str:
    result = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if result.returncode != 0:
        raise RevisionError(f"{ref} is not a commit of {repo}")
    return result.stdout.decode().strip()


@contextmanager
def tree_at(repo: Path, ref: str):
    """A temporary copy of `shared/` and `services/` as they are at `ref`."""
    commit = resolve(repo, ref)
    archive = _git(repo, "archive", "--format=tar", commit, "shared", "services")
    if archive.returncode != 0:
        raise RevisionError(f"git archive {ref} failed: {archive.stderr.decode().strip()}")
    with tempfile.TemporaryDirectory(prefix="carebridge-compat-") as folder:
        tree = Path(folder) / "tree"
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tree, filter="data")
        yield tree


def describe(what: str, tree: Path | None = None) -> dict:
    """`describe.py what` on `tree` (a folder from `tree_at`), or on the
    installed code when `tree` is None."""
    env = {name: value for name, value in os.environ.items() if name not in _DROPPED_VARIABLES}
    arguments = [what]
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(tree / "shared")] + [str(p.parent) for p in sorted((tree / "services").glob("*/pyproject.toml"))])
        arguments += ["--tree", str(tree)]
    with tempfile.TemporaryDirectory(prefix="carebridge-describe-") as folder:
        out = Path(folder) / "description.json"
        result = subprocess.run([sys.executable, "-c", _RUNNER, str(DESCRIBER), *arguments, "--out", str(out)],
                                cwd=folder, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            where = "the installed code" if tree is None else "the older revision"
            raise RevisionError(f"describing the {what} of {where} failed:\n{result.stderr[-3000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def describe_both(what: str, repo: Path, ref: str) -> tuple[dict, dict]:
    """(the description at `ref`, the description of the installed code)."""
    with tree_at(repo, ref) as tree:
        old = describe(what, tree)
    return old, describe(what)
