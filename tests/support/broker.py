"""Broker users of the run (the kit's `carebridge.stack.broker_users`)."""
from carebridge.stack.broker_users import RunBrokerUsers, create, remove, why_not_per_service

__all__ = ["RunBrokerUsers", "create", "remove", "why_not_per_service"]
