"""Composition root of the notifications service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition

from .api import register_api
from .events.subscriptions import subscriptions
from .jobs import JOBS
from .persistence.models import Base

SERVICE = ServiceDefinition(
    name="notifications",
    package="carebridge_notifications",
    title="CareBridge Notifications API",
    description="Who hears what, on which channel, exactly once: inbox, email, SMS, webhooks, preferences and escalation.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=JOBS,
)


def create_app(test_config=None):
    return SERVICE.create_app(test_config)
