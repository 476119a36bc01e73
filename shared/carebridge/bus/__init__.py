"""The message bus. Its names load their module on first use: a service's
handlers import `PermanentFailure` and `ReceivedEvent` from here in every
process, the API's included, which must not pay for kombu and py-amqp
(issue 26's memory per API) when it never publishes or consumes."""
from importlib import import_module

_WHERE = {
    "BROKER_ERRORS": "connection", "broker_reachable": "connection", "open_connection": "connection",
    "PermanentFailure": "handling", "ReceivedEvent": "handling",
    "EventConsumer": "consumer",
    "BrokerUsers": "identity", "RefusedPublisher": "identity",
    "Publisher": "publisher",
    "ServiceQueues": "topology", "Topology": "topology",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
