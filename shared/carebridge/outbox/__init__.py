
from .writer import record

__all__ = ["OutboxRelay", "record"]


def __getattr__(name: str):
    # The relay (and with it kombu and py-amqp) is loaded only where it runs,
    # in workers: an API process writes its outbox rows but never publishes.
    if name == "OutboxRelay":
        from .relay import OutboxRelay
        return OutboxRelay
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
