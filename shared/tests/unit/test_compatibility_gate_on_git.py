"""The gate end to end on a git repository of its own: the older revision is
taken out of git, described by a child process that imports that tree's kit
and services (not the installed ones), and compared with the changed tree."""
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from carebridge import cli
from carebridge.compat import compare_events, compare_openapi, describe
from carebridge.compat.revisions import tree_at

SHARED = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=gate", "-c", "user.email=gate@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The kit and the toy service as one committed revision."""
    if shutil.which("git") is None:
        pytest.skip("git is needed")
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(SHARED / "carebridge", root / "shared" / "carebridge", ignore=IGNORED)
    service = root / "services" / "toys"
    shutil.copytree(SHARED / "tests" / "kit_toy_service", service / "kit_toy_service", ignore=IGNORED)
    (service / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "toys"
        version = "1.0.0"
        [project.entry-points."carebridge.services"]
        toys = "kit_toy_service.service:SERVICE"
        """))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "toys")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def changed(repo):
    """The working copy after `edit`s, restored afterwards."""
    yield repo / "services" / "toys" / "kit_toy_service"
    git(repo, "checkout", "--", ".")


def test_the_committed_revision_is_compatible_with_itself(repo):
    with tree_at(repo, "HEAD") as tree:
        events, documents = describe("events", tree), describe("openapi", tree)
    assert events["errors"] == {} and documents["errors"] == {}
    assert "toys.toy-counted" in events["events"] and ["toys.toy-counted", 1] in events["consumers"]["toys"]
    assert "/toys/{toy_id}" in documents["documents"]["toys"]["paths"]
    assert compare_events(events, describe("events", repo)) == []
    assert compare_openapi(documents, describe("openapi", repo)) == []


def test_breaking_changes_in_the_working_tree_are_named(repo, changed):
    edit(changed / "events.py", "    fail = fields.Boolean(load_default=False)\n", "")
    edit(changed / "events.py", "    toy_id = fields.UUID(required=True)\n",
         "    toy_id = fields.UUID(required=True)\n    colour = fields.String(load_default=None)\n")
    edit(changed / "api.py", "    version = ma.fields.Integer(dump_only=True)\n", "")
    with tree_at(repo, "HEAD") as tree:
        old_events, old_documents = describe("events", tree), describe("openapi", tree)
    assert compare_events(old_events, describe("events", repo)) == [
        "toys.toy-counted v1: field `fail` was removed (publish a new version instead)"]
    problems = compare_openapi(old_documents, describe("openapi", repo))
    assert "toys: GET /toys/{toy_id}: response field `version` was removed " \
           "(put the change under a new version of the path)" in problems


def test_a_removed_version_that_a_service_still_subscribes_to_is_named(repo, changed):
    edit(changed / "events.py", '@registry.register("toys.toy-counted", 1)',
         '@registry.register("toys.toy-counted", 2)')
    with tree_at(repo, "HEAD") as tree:
        old = describe("events", tree)
    problems = compare_events(old, describe("events", repo))
    assert problems[0].startswith(
        "the toys service cannot be loaded: UnknownEventType: no schema for toys.toy-counted v1")
    assert "toys.toy-counted v1 was removed, but toys still consumes it" in problems


def test_an_unknown_revision_is_an_error_not_a_pass(repo, capsys):
    assert cli.main(["events", "check", "--against", "no-such-ref", "--repo", str(repo)]) == 2
    assert "no-such-ref is not a commit" in capsys.readouterr().err
