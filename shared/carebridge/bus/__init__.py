from .connection import BROKER_ERRORS, broker_reachable, open_connection
from .consumer import EventConsumer, PermanentFailure, ReceivedEvent
from .identity import BrokerUsers, RefusedPublisher
from .publisher import Publisher
from .topology import ServiceQueues, Topology

__all__ = ["BROKER_ERRORS", "broker_reachable", "open_connection", "BrokerUsers", "EventConsumer",
           "PermanentFailure", "ReceivedEvent", "RefusedPublisher", "Publisher", "ServiceQueues", "Topology"]
