"""The events the careplans service reacts to: one line per event type and version."""
from carebridge.subscriptions import EventSubscriptions

subscriptions = EventSubscriptions()
