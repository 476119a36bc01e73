import pytest
from kombu import Queue, binding

from carebridge.bus import open_connection
from carebridge.testing.proxy import CuttableProxy
from kit_toy_service.service import SERVICE

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_url(postgres_databases, tmp_path):
    return postgres_databases.fresh(SERVICE, tmp_path)


@pytest.fixture
def broker_proxy(amqp_url):
    from urllib.parse import urlsplit
    parts = urlsplit(amqp_url)
    proxy = CuttableProxy(parts.hostname, parts.port or 5672).start()
    yield proxy
    proxy.close()


@pytest.fixture
def runtime(make_runtime, pg_url, amqp_url):
    """The toy service on PostgreSQL and the real RabbitMQ."""
    return make_runtime(SERVICE, database_url=pg_url, broker_url=amqp_url)


@pytest.fixture
def tap(runtime, amqp_url):
    """A queue bound to every toy event, to see exactly what reached the broker."""
    connection = open_connection(amqp_url)
    channel = connection.channel()
    queue = Queue(runtime.topology.name("tap"), bindings=[binding(runtime.topology.exchange, routing_key="toys.#")],
                  durable=False, auto_delete=False)(channel)
    runtime.topology.ensure_exchange(connection)
    queue.declare()

    def drain():
        messages = []
        while (message := queue.get(no_ack=True)) is not None:
            messages.append(message)
        return messages

    yield drain
    queue.delete()
    connection.release()
