"""The event catalogue: one module per producer, one schema per type and
version. Importing this package registers every schema."""
from . import audit, billing, careplans, monitoring, notifications, patients, scheduling  # noqa: F401
