"""The client's tests run against the real services: the embedded stack
(`carebridge dev`, every service in this process on SQLite and the in-memory
bus) on free ports, in development mode, in a folder of its own."""
from __future__ import annotations

import io
import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def dev_stack(tmp_path_factory):
    pytest.importorskip("carebridge.runtime.dev", reason="the kit and the services are not installed here")
    from carebridge.runtime.dev import DevStack
    from carebridge.runtime.discovery import installed_services
    ports = {name: free_port() for name in installed_services()}
    stack = DevStack(data_dir=tmp_path_factory.mktemp("dev-stack"), ports=ports,
                     environ={"CAREBRIDGE_ENV": "development", "LOG_LEVEL": "WARNING"})
    stack.start()
    yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    stack.stop()


@pytest.fixture(scope="session")
def base_urls(dev_stack):
    return dev_stack


@pytest.fixture(scope="session")
def first_seed(base_urls):
    """The demo organisation loaded once into the shared stack: what the
    first run added and the progress it printed, whichever test asks first."""
    from carebridge_client.seed import seed
    progress = io.StringIO()
    added = seed(base_urls, out=progress)
    return added, progress.getvalue()
