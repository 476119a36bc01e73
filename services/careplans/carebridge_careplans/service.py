"""Composition root of the careplans service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition
from carebridge.web import create_app as build_app

from .api import register_api
from .events.subscriptions import subscriptions
from .jobs import JOBS
from .persistence.models import Base
from .settings import CarePlanSettings

SERVICE = ServiceDefinition(
    name="careplans",
    package="carebridge_careplans",
    title="CareBridge Care Plans API",
    description="Versioned care plans, medication safety checks, the coordinator worklist, adherence and check-ins.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=JOBS,
    settings=CarePlanSettings,
)


def create_app(test_config=None):
    return build_app(SERVICE, test_config)
