"""Writes deploy/rabbitmq/definitions.json from the code: the exchange, and for
every installed service that consumes events its queue (with the bindings its
subscriptions declare), retry queues and dead-letter queue, with exactly the
arguments the services declare themselves (RabbitMQ refuses a redeclaration
with different arguments), plus per-service dead-letter and delivery-limit
policies for operators.

    .venv/bin/python tools/render_rabbitmq_definitions.py          # rewrite the file
    .venv/bin/python tools/render_rabbitmq_definitions.py --check  # fail if it is stale
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from carebridge.bus import Topology
from carebridge.config import Settings
from carebridge.runtime.discovery import installed_services

TARGET = Path(__file__).resolve().parent.parent / "deploy" / "rabbitmq" / "definitions.json"
VHOST = "/"


def render() -> dict:
    topology = Topology()
    exchange = topology.exchange
    definitions = {
        "exchanges": [{"name": exchange.name, "vhost": VHOST, "type": exchange.type, "durable": True,
                       "auto_delete": False, "internal": False, "arguments": {}}],
        "queues": [], "bindings": [], "policies": [],
    }
    for name, service in installed_services().items():
        if not service.subscriptions:
            continue
        settings = Settings.from_env(name, {})
        queues = topology.for_service(name, service.subscriptions.routing_keys, settings.retry_delays,
                                      settings.delivery_limit)
        for queue in queues.all_queues(with_retry_queues=True):
            definitions["queues"].append({"name": queue.name, "vhost": VHOST, "durable": True,
                                          "auto_delete": False, "arguments": dict(queue.queue_arguments)})
        for key in queues.routing_keys:
            definitions["bindings"].append({"source": exchange.name, "vhost": VHOST, "destination": queues.main_name,
                                            "destination_type": "queue", "routing_key": key, "arguments": {}})
        definitions["policies"].append({
            "vhost": VHOST, "name": f"{name}-dead-letter-and-delivery-limit",
            "pattern": f"^{queues.main_name.replace('.', '[.]')}$", "apply-to": "queues", "priority": 1,
            "definition": {"dead-letter-exchange": "", "dead-letter-routing-key": queues.dead_name,
                           "delivery-limit": settings.delivery_limit}})
    return definitions


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
