import threading

import pytest


@pytest.fixture
def in_another_worker():
    """Run fn() in another thread (its own database connection), as a second
    worker process would, and return its result."""
    def run(fn, *args, timeout: float = 20.0):
        outcome = {}

        def target():
            try:
                outcome["value"] = fn(*args)
            except BaseException as error:  # noqa: BLE001 (handed back to the test)
                outcome["error"] = error

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(timeout)
        assert not thread.is_alive(), "the other worker did not finish: it waited on a lock it should skip"
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]
    return run
