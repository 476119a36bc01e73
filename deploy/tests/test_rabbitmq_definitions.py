"""deploy/rabbitmq/definitions.json is what the services declare themselves
(RabbitMQ refuses a redeclaration with other arguments), so it is rendered
from the code and must not drift from it; and it gives each service broker
users of its own, which may publish only the service's own events."""
import json
import re
import subprocess
import sys

import pytest

from layout import SERVICES


def test_definitions_match_the_code(root):
    result = subprocess.run([sys.executable, str(root / "tools" / "render_rabbitmq_definitions.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_consuming_service_has_a_quorum_queue_a_dead_letter_queue_and_policies(root):
    definitions = json.loads((root / "deploy" / "rabbitmq" / "definitions.json").read_text())
    queues = {q["name"]: q for q in definitions["queues"]}
    consumers = {b["destination"].removesuffix(".events") for b in definitions["bindings"]
                 if b["source"] == "carebridge.events"}
    assert consumers >= {"careplans", "scheduling", "billing", "notifications"}
    for service in consumers:
        main = queues[f"{service}.events"]["arguments"]
        assert main["x-queue-type"] == "quorum" and main["x-delivery-limit"] > 0
        assert main["x-dead-letter-routing-key"] == f"{service}.events.dead"
        assert f"{service}.events.dead" in queues
        retries = [q for q in queues if q.startswith(f"{service}.events.retry.")]
        delays = sorted(queues[q]["arguments"]["x-message-ttl"] for q in retries)
        assert len(delays) >= 2 and delays == sorted(set(delays)), "growing delays"
        assert any(p["name"] == f"{service}-dead-letter-and-delivery-limit" for p in definitions["policies"])
    assert definitions["exchanges"][0] == {"name": "carebridge.events", "vhost": "/", "type": "topic",
                                           "durable": True, "auto_delete": False, "internal": False,
                                           "arguments": {}}


@pytest.fixture(scope="module")
def definitions(root):
    return json.loads((root / "deploy" / "rabbitmq" / "definitions.json").read_text())


def permissions_of(definitions, user: str) -> dict:
    [found] = [p for p in definitions["permissions"] if p["user"] == user]
    return found


def test_each_service_has_a_worker_and_an_api_user_and_nobody_shares_one(definitions):
    users = [user["name"] for user in definitions["users"]]
    assert len(users) == len(set(users))
    assert {f"{name}{suffix}" for name in SERVICES for suffix in ("", "-api")} <= set(users)
    assert "guest" not in users and "carebridge" not in users


def test_the_definitions_carry_no_password(definitions):
    assert all(set(user) <= {"name", "tags"} for user in definitions["users"]), "passwords come from secrets"


@pytest.mark.parametrize("service", SERVICES)
def test_a_worker_publishes_only_its_own_events_and_reads_only_its_own_queues(definitions, service):
    [topic] = [t for t in definitions["topic_permissions"] if t["user"] == service]
    assert topic["exchange"] == "carebridge.events"
    write = re.compile(topic["write"])
    assert write.search(f"{service}.anything") and write.search(f"{service}.audit-checkpointed")
    for other in set(SERVICES) - {service}:
        assert not write.search(f"{other}.care-team-changed"), other
    permissions = permissions_of(definitions, service)
    readable = re.compile(permissions["read"])
    writable = re.compile(permissions["write"])
    configurable = re.compile(permissions["configure"])
    assert readable.match(f"{service}.events") and writable.match(f"{service}.events.requeue")
    for other in set(SERVICES) - {service}:
        for resource in (f"{other}.events", f"{other}.events.dead", f"{other}.events.requeue"):
            assert not readable.match(resource) and not writable.match(resource), resource
    # Nobody writes to the default exchange (it reaches every queue), nor
    # declares, and so deletes, the shared exchange.
    assert not writable.match("amq.default") and not writable.match("")
    assert not configurable.match("carebridge.events")


@pytest.mark.parametrize("service", SERVICES)
def test_an_api_may_only_connect(definitions, service):
    assert {k: v for k, v in permissions_of(definitions, f"{service}-api").items() if k not in ("user", "vhost")} == {
        "configure": "", "write": "", "read": ""}
    assert not [t for t in definitions["topic_permissions"] if t["user"] == f"{service}-api"]


def test_every_consuming_service_has_a_requeue_exchange_bound_to_its_queues(definitions):
    exchanges = {e["name"] for e in definitions["exchanges"]}
    for queue in definitions["queues"]:
        service = queue["name"].split(".", 1)[0]
        assert f"{service}.events.requeue" in exchanges
        assert {"source": f"{service}.events.requeue", "vhost": "/", "destination": queue["name"],
                "destination_type": "queue", "routing_key": queue["name"], "arguments": {}} in definitions["bindings"]
