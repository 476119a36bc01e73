"""Composition root of the monitoring service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition
from carebridge.web import create_app as build_app

from .api import register_api
from .events.subscriptions import subscriptions
from .jobs import JOBS
from .persistence.models import Base
from .settings import MonitoringSettings

SERVICE = ServiceDefinition(
    name="monitoring",
    package="carebridge_monitoring",
    title="CareBridge Monitoring API",
    description="Remote patient monitoring (enrolments, readings, threshold and trend rules, alerts) "
                "and telephone triage.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=JOBS,
    settings=MonitoringSettings,
)


def create_app(test_config=None):
    return build_app(SERVICE, test_config)
