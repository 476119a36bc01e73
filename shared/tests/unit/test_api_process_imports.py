"""An API process never publishes or consumes: building a service's app must
not load the bus's libraries (kombu, py-amqp), whose memory each API's
gunicorn group would otherwise carry (issue 26: under 150 MiB per API)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from carebridge.runtime.discovery import installed_services

PROBE = """
import json, sys
from carebridge.runtime.wsgi import application
application(sys.argv[1])
print(json.dumps(sorted(name for name in ("kombu", "amqp") if name in sys.modules)))
"""


@pytest.mark.parametrize("service", sorted(installed_services()) or ["(none installed)"])
def test_building_an_api_loads_no_broker_library(service, tmp_path):
    if service == "(none installed)":
        pytest.skip("no service package is installed beside the kit")
    found = subprocess.run([sys.executable, "-c", PROBE, service], cwd=tmp_path, capture_output=True, text=True,
                           env={"PATH": "", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "HOME": str(tmp_path)},
                           timeout=120)
    assert found.returncode == 0, found.stderr[-2000:]
    assert json.loads(found.stdout.strip().splitlines()[-1]) == []


def test_the_handler_facing_names_stay_importable_from_the_bus():
    from carebridge.bus import PermanentFailure, ReceivedEvent
    from carebridge.bus.consumer import PermanentFailure as raised_by_handlers, ReceivedEvent as given_to_handlers
    assert PermanentFailure is raised_by_handlers and ReceivedEvent is given_to_handlers
