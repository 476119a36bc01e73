from .relay import OutboxRelay
from .writer import record

__all__ = ["OutboxRelay", "record"]
