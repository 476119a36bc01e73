"""The client's suite: its own tests (tests/) and the examples (examples/),
which use the kit's stack plugin, embedded unless told otherwise
(CAREBRIDGE_STACK=real or --carebridge-stack=real)."""
import importlib.util
import os

if importlib.util.find_spec("carebridge") is not None:  # the kit is installed: the examples can run
    os.environ.setdefault("CAREBRIDGE_STACK", "embedded")
    pytest_plugins = ["carebridge.stack"]
