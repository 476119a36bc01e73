"""The secure message page counts openings per network address too: many
links tried from one address run out, another address does not."""
import pytest

from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import runtime_settings_for

from .test_message_page import link_in_email


@pytest.fixture
def runtime_settings(tmp_path, smtp_server):
    return runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port),
                                MESSAGE_PAGE_LIMIT_PER_ADDRESS="3")


def test_one_address_trying_many_links_is_limited(client, runtime, world, smtp_server, clock):
    world.deliver(world.booked())
    send_due_deliveries(runtime)
    patients, family = link_in_email(smtp_server, "pat@example.org"), link_in_email(smtp_server, "family@example.org")
    here, elsewhere = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.9"}
    statuses = [client.get(path, environ_base=here).status_code for path in (patients, family, patients, family)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/messages/guessing.again", environ_base=here).status_code == 429
    assert client.get(family, environ_base=elsewhere).status_code == 200
    clock.advance(hours=1, seconds=1)
    assert client.get(family, environ_base=here).status_code == 200
