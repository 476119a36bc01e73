"""The broker as the services need it, as RabbitMQ definitions: the shared
exchange; for every installed service that consumes events its queues (with
exactly the arguments the worker declares), bindings and requeue exchange;
and for every installed service two users with their permissions:

- `<user>` (BROKER_USER_TEMPLATE, `{service}` by default), the worker's: it
  may publish to `carebridge.events` only with routing keys of its own
  types (topic permission `^<service>\\.`), write to and bind its own
  queues and requeue exchange, read (consume) only its own queues, and
  declare (configure) only its own queues and requeue exchange, not the
  shared exchange (so it cannot delete it either);
- `<user>-api`, the API's: it only connects (its readiness probe), with no
  right on any exchange or queue;

and `carebridge-queue-monitor`, which the autoscaler (KEDA) uses to read the
queues' lengths (a passive declare needs no right), also with none.

No user may write to the default exchange, which reaches every queue. The
definitions carry no passwords: whoever loads them sets each user's password
from its secret right after (an import without a password hash leaves the
user unable to log in, also when it had a password before).

`tools/render_rabbitmq_definitions.py` writes deploy/rabbitmq/definitions.json
from this; the whole-stack tests load the same, for a namespace and users of
their own, with password hashes.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re

from ..config import Settings
from .topology import Topology

VHOST = "/"
QUEUE_MONITOR_USER = "carebridge-queue-monitor"


def service_users(template: str, service: str) -> tuple[str, str]:
    """The worker's and the API's broker user of `service`."""
    worker = template.format(service=service)
    return worker, f"{worker}-api"


def password_hash(password: str) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def worker_permissions(topology: Topology, service: str) -> dict:
    own = re.escape(topology.name(f"{service}.events")) + r"(\..+)?"
    shared = re.escape(topology.exchange.name)
    return {"configure": f"^{own}$", "write": f"^({shared}|{own})$", "read": f"^({shared}|{own})$"}


def render(services: dict, *, namespace: str = "", template: str = "{service}", vhost: str = VHOST,
           passwords: dict[str, str] | None = None, operators: bool = True, environ: dict | None = None) -> dict:
    """Definitions for `services` (name -> ServiceDefinition), their queues
    as settings from `environ` make them (RETRY_DELAYS names the retry
    queues). `passwords` (user -> password) adds password hashes, for users
    made for one run; `operators=False` leaves out what only operators use
    (the policies and the queue monitor's user)."""
    topology = Topology(namespace=namespace)
    exchange = topology.exchange
    definitions = {
        "exchanges": [{"name": exchange.name, "vhost": vhost, "type": exchange.type, "durable": True,
                       "auto_delete": False, "internal": False, "arguments": {}}],
        "queues": [], "bindings": [], "policies": [],
        "users": [], "permissions": [], "topic_permissions": [],
    }
    if operators:
        definitions["users"].append({"name": QUEUE_MONITOR_USER, "tags": []})
        definitions["permissions"].append({"user": QUEUE_MONITOR_USER, "vhost": vhost, "configure": "", "write": "",
                                           "read": ""})
    for name, service in services.items():
        worker, api = service_users(template, name)
        for user in (worker, api):
            entry = {"name": user, "tags": []}
            if passwords and user in passwords:
                entry.update(password_hash=password_hash(passwords[user]),
                             hashing_algorithm="rabbit_password_hashing_sha256")
            definitions["users"].append(entry)
        definitions["permissions"] += [
            {"user": worker, "vhost": vhost, **worker_permissions(topology, name)},
            {"user": api, "vhost": vhost, "configure": "", "write": "", "read": ""}]
        definitions["topic_permissions"].append({
            "user": worker, "vhost": vhost, "exchange": exchange.name,
            "write": f"^{re.escape(name)}\\.", "read": ".*"})
        if not service.subscriptions:
            continue
        settings = Settings.from_env(name, environ or {})
        queues = topology.for_service(name, service.subscriptions.routing_keys, settings.retry_delays,
                                      settings.delivery_limit)
        requeue = queues.requeue_exchange
        definitions["exchanges"].append({"name": requeue.name, "vhost": vhost, "type": requeue.type,
                                         "durable": True, "auto_delete": False, "internal": False,
                                         "arguments": {}})
        for queue in queues.all_queues(with_retry_queues=True):
            definitions["queues"].append({"name": queue.name, "vhost": vhost, "durable": True,
                                          "auto_delete": False, "arguments": dict(queue.queue_arguments)})
            definitions["bindings"].append({"source": requeue.name, "vhost": vhost, "destination": queue.name,
                                            "destination_type": "queue", "routing_key": queue.name,
                                            "arguments": {}})
        for key in queues.routing_keys:
            definitions["bindings"].append({"source": exchange.name, "vhost": vhost, "destination": queues.main_name,
                                            "destination_type": "queue", "routing_key": key, "arguments": {}})
        if not operators:
            continue
        definitions["policies"].append({
            "vhost": vhost, "name": topology.name(f"{name}-dead-letter-and-delivery-limit"),
            "pattern": f"^{queues.main_name.replace('.', '[.]')}$", "apply-to": "queues", "priority": 1,
            "definition": {"dead-letter-exchange": "", "dead-letter-routing-key": queues.dead_name,
                           "delivery-limit": settings.delivery_limit}})
    return definitions


__all__ = ["QUEUE_MONITOR_USER", "VHOST", "password_hash", "render", "service_users", "worker_permissions"]
