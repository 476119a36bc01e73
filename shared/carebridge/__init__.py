"""CareBridge platform kit: what every service shares (configuration,
database, events, bus, outbox, consumer, HTTP plumbing, auth, audit)."""
__version__ = "1.0.0"
