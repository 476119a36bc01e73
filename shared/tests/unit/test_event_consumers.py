"""Every published event type leads to an action somewhere, or is documented
as for outside subscribers (webhooks) only (issue 25, item 6).

The types with no acting consumer are those no installed service subscribes
to, and those only the notifications service takes with a routing rule that
tells nobody (it forwards them to webhook subscriptions). They must be
exactly the list in docs/architecture.md between the
`outside-subscribers-only` markers."""
import re
from pathlib import Path

import pytest

from carebridge.runtime.discovery import installed_services

from unit.test_architecture_document import catalogued

DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"
LISTED = re.compile(r"<!-- outside-subscribers-only -->(?P<body>.*?)<!-- /outside-subscribers-only -->", re.DOTALL)
ITEM = re.compile(r"^- `(?P<type>[a-z]+\.[a-z0-9-]+)`", re.MULTILINE)


def documented_outside_only() -> set[str]:
    block = LISTED.search(DOCUMENT.read_text(encoding="utf-8"))
    assert block, "docs/architecture.md has no outside-subscribers-only list"
    return {item["type"] for item in ITEM.finditer(block["body"])}


def without_an_acting_consumer() -> set[str]:
    services = installed_services()
    if "notifications" not in services:
        pytest.skip("the whole set of services is not installed")
    from carebridge_notifications.domain.routing_rules import WEBHOOK_ONLY
    acted_on = set()
    for name, service in services.items():
        for event_type, _version in service.subscriptions.subscribed():
            if name == "notifications" and event_type in WEBHOOK_ONLY:
                continue
            acted_on.add(event_type)
    published = {event_type for event_type, _version in catalogued() if not event_type.startswith("*.")}
    return published - acted_on


def test_the_types_without_an_acting_consumer_are_the_documented_outside_only_list():
    assert without_an_acting_consumer() == documented_outside_only()


def test_outside_only_types_can_be_had_by_webhooks():
    from carebridge_notifications.service_layer.webhook_subscriptions import SUBSCRIBABLE_EVENT_TYPES
    assert documented_outside_only() <= set(SUBSCRIBABLE_EVENT_TYPES)
