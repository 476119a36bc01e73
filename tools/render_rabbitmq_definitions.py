"""Writes deploy/rabbitmq/definitions.json from the code
(carebridge.bus.definitions): the exchange; for every installed service that
consumes events its queue (with the bindings its subscriptions declare),
retry queues, dead-letter queue and requeue exchange, with exactly the
arguments the services declare themselves (RabbitMQ refuses a redeclaration
with different arguments), plus per-service dead-letter and delivery-limit
policies for operators; and for every installed service its worker's and
API's broker users (no passwords) with their permissions.

    .venv/bin/python tools/render_rabbitmq_definitions.py          # rewrite the file
    .venv/bin/python tools/render_rabbitmq_definitions.py --check  # fail if it is stale
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from carebridge.bus.definitions import render as render_definitions
from carebridge.runtime.discovery import installed_services

TARGET = Path(__file__).resolve().parent.parent / "deploy" / "rabbitmq" / "definitions.json"


def render() -> dict:
    return render_definitions(installed_services())


def main(argv) -> int:
    text = json.dumps(render(), indent=2, sort_keys=True) + "\n"
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is stale: run tools/render_rabbitmq_definitions.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
