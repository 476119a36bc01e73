"""Webhooks cannot be turned against CareBridge's own network (production
rules): a URL whose host is or resolves to a loopback, private, link-local
(cloud metadata) or other internal address is refused at subscription,
unless allow-listed, and checked again at every delivery (its name may
resolve elsewhere by then)."""
import pytest

from carebridge.testing import assert_problem
from carebridge_notifications.channels.webhook_targets_check import TargetRule
from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import deliveries, runtime_settings_for, subscribe_webhook

SECRET = "a-long-enough-shared-secret-0123456789"


@pytest.fixture
def runtime_settings(tmp_path):
    return runtime_settings_for(tmp_path, WEBHOOK_CHECK_TARGETS="true", WEBHOOK_ALLOWED_HOSTS="hooks.internal.example")


def fixed(addresses):
    return lambda host, port: addresses[host]


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "https://127.0.0.1:8001/patients",
                                 "https://10.1.2.3/x", "https://[::1]/x", "https://[::ffff:127.0.0.1]/x",
                                 "https://192.168.0.10/x", "https://100.64.0.1/x", "https://0.0.0.0/x",
                                 "https://metadata.example/x", "https://rebinder.example/x"])
def test_internal_targets_are_refused(url):
    rule = TargetRule(resolver=fixed({"metadata.example": ["169.254.169.254"],
                                      "rebinder.example": ["93.184.216.34", "127.0.0.1"]}))
    assert rule.refusal(url) == "internal-address"


def test_public_and_allow_listed_targets_pass():
    rule = TargetRule(("hooks.internal.example", "10.20.0.0/16"),
                      resolver=fixed({"staff-app.example.org": ["93.184.216.34"], "ward.example": ["10.20.3.4"]}))
    assert rule.refusal("https://staff-app.example.org/hooks") is None
    assert rule.refusal("https://hooks.internal.example/x") is None
    assert rule.refusal("https://ward.example/x") is None
    assert rule.refusal("https://10.21.0.1/x") == "internal-address"


def test_a_subscription_to_an_internal_address_is_422(client, auth):
    for url in ("https://169.254.169.254/latest/meta-data/", "https://127.0.0.1:8001/patients"):
        body = assert_problem(client.post("/webhook-subscriptions", headers=auth("admin"), json={
            "url": url, "secret": SECRET, "event_types": ["scheduling.appointment-missed"]}), 422)
        assert "internal network" in body["errors"]["url"][0]
    assert client.get("/webhook-subscriptions", headers=auth("admin")).get_json()["total"] == 0


def test_each_delivery_checks_the_target_again(runtime, world, http_receiver):
    # Subscribed while the name pointed elsewhere: now it is this host.
    subscribe_webhook(runtime, http_receiver.url + "/hook", ["scheduling.appointment-booked"])
    world.deliver(world.booked(code="mri-lumbar-spine"))
    send_due_deliveries(runtime)
    [hook] = deliveries(runtime, "webhook")
    assert (hook.status, hook.last_error) == ("bounced", "webhook-target-internal-address")
    assert [r for r in http_receiver.requests if r["path"] == "/hook"] == []
