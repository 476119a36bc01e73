"""Composition root of the scheduling service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition
from carebridge.web import create_app as build_app

from .api import register_api
from .events.subscriptions import subscriptions
from .jobs import JOBS
from .persistence.models import Base
from .settings import SchedulingSettings

SERVICE = ServiceDefinition(
    name="scheduling",
    package="carebridge_scheduling",
    title="CareBridge Scheduling API",
    description="Practitioner schedules and slots, conflict-free booking, recurring visits, no-shows, reminders and the waitlist.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=JOBS,
    settings=SchedulingSettings,
)


def create_app(test_config=None):
    return build_app(SERVICE, test_config)
