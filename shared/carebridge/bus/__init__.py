from .connection import BROKER_ERRORS, broker_reachable, open_connection
from .consumer import EventConsumer, PermanentFailure, ReceivedEvent
from .publisher import Publisher
from .topology import ServiceQueues, Topology

__all__ = ["BROKER_ERRORS", "broker_reachable", "open_connection", "EventConsumer", "PermanentFailure",
           "ReceivedEvent", "Publisher", "ServiceQueues", "Topology"]
