"""Composition root of the scheduling service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition

from .api import register_api
from .events.subscriptions import subscriptions
from .jobs import JOBS
from .persistence.models import Base

SERVICE = ServiceDefinition(
    name="scheduling",
    package="carebridge_scheduling",
    title="CareBridge Scheduling API",
    description="Practitioner schedules and slots, conflict-free booking, recurring visits, no-shows, reminders and the waitlist.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=JOBS,
)


def create_app(test_config=None):
    return SERVICE.create_app(test_config)
