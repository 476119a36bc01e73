"""The client's suite: its own tests (tests/) and the examples (examples/),
which use the kit's stack plugin, embedded unless told otherwise
(CAREBRIDGE_STACK=real or --carebridge-stack=real)."""
import importlib.util
import os

if importlib.util.find_spec("carebridge") is None:  # the client alone: no stack to run the examples on
    collect_ignore = ["examples"]
else:
    os.environ.setdefault("CAREBRIDGE_STACK", "embedded")
    pytest_plugins = ["carebridge.stack"]
