"""deploy/rabbitmq/definitions.json is what the services declare themselves
(RabbitMQ refuses a redeclaration with other arguments), so it is rendered
from the code and must not drift from it."""
import json
import subprocess
import sys


def test_definitions_match_the_code(root):
    result = subprocess.run([sys.executable, str(root / "tools" / "render_rabbitmq_definitions.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_consuming_service_has_a_quorum_queue_a_dead_letter_queue_and_policies(root):
    definitions = json.loads((root / "deploy" / "rabbitmq" / "definitions.json").read_text())
    queues = {q["name"]: q for q in definitions["queues"]}
    consumers = {b["destination"].removesuffix(".events") for b in definitions["bindings"]}
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
