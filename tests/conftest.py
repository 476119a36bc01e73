import os

import pytest

from support.stack import SERVICES
from support.world import World

# The kit's stack plugin starts the real stack (carebridge.stack.real, with
# its quick settings) and removes it afterwards; this suite is its user.
pytest_plugins = ["carebridge.stack"]


@pytest.fixture(scope="session")
def stack(carebridge_stack):
    assert carebridge_stack.mode == "real", "the whole-stack suite needs the real stack"
    running = carebridge_stack.real
    # The stack's clock starts at the real time, or STACK_CLOCK_SHIFT_HOURS
    # later (to run the suite at another time of day or date than now).
    running.advance(hours=float(os.environ.get("STACK_CLOCK_SHIFT_HOURS", "0")))
    return running


@pytest.fixture
def world(stack):
    """The test's own people and records (see support/world.py)."""
    return World(stack)


@pytest.fixture(autouse=True)
def stack_left_running(request):
    """After each test that used the stack: every API and worker is still up
    (a fault test that failed half-way must not take the next tests down
    with it: what died is restarted, and this test is reported)."""
    yield
    if "stack" not in request.fixturenames:
        return
    running = request.getfixturevalue("stack")
    dead_workers = [name for name in SERVICES if not running.worker_alive(name)]
    dead_apis = [name for name in SERVICES if running.real.apis[name].poll() is not None]
    for name in dead_workers:
        running.start_worker(name)
    for name in dead_apis:
        running.real.start_api(name)
    if dead_apis:
        running.real.wait_until_ready(60, services=dead_apis)
    assert not dead_workers and not dead_apis, f"left dead: workers {dead_workers}, APIs {dead_apis}"
