"""Composition root of the notifications service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition
from carebridge.web import create_app as build_app

from .api import register_api
from .dependencies import NotificationsDependencies
from .events.subscriptions import subscriptions
from .jobs import JOBS
from .pages import PREFIX, register_pages
from .persistence.models import Base
from .settings import NotificationSettings

SERVICE = ServiceDefinition(
    name="notifications",
    package="carebridge_notifications",
    title="CareBridge Notifications API",
    description="Who hears what, on which channel, exactly once: inbox, email, SMS, webhooks, preferences and escalation.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=JOBS,
    settings=NotificationSettings,
    dependencies=NotificationsDependencies,
    public_page_prefixes=(PREFIX,),
    register_pages=register_pages,
)


def create_app(test_config=None):
    return build_app(SERVICE, test_config)
