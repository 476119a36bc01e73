"""The README's walkthrough runs as written against a seeded development
stack: every ```python block, in order, in one namespace."""
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

README = Path(__file__).resolve().parents[1] / "README.md"


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def plan_moved_on(cb, plan, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cb.careplans.get(plan.id).version > plan.version:
            return True
        time.sleep(0.05)
    return False


def test_the_walkthrough_runs_as_written(base_urls, first_seed, monkeypatch, capsys):
    # The walkthrough calls make run's ports; here they are the test stack's.
    monkeypatch.setattr("carebridge_client._client.DEVELOPMENT_PORTS",
                        {name: urlsplit(url).port for name, url in base_urls.items()})
    code = blocks()
    assert len(code) == 7
    namespace = {}
    for block in code:
        exec(compile(block, str(README), "exec"), namespace)
        if "visit" in namespace and "booked_seen" not in namespace:
            # A reader runs the next block a while later; by then care plans
            # has heard of the booking (an event) and moved the plan on.
            namespace["booked_seen"] = plan_moved_on(namespace["cb"], namespace["plan"])
    out = capsys.readouterr().out
    assert "signed in as Amélie Laurent (coordinator)" in out
    assert "takes spironolactone" in out and "booked" in out
    assert "refused: drug-interaction major" in out and "the physician overrode it" in out
    assert namespace["done"].acknowledged_at is not None
    assert namespace["visit"].status == "booked"
