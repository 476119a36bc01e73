"""Composition root of the careplans service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition

from .api import register_api
from .events.subscriptions import subscriptions
from .jobs.check_in_tasks import CHECK_IN_TASKS
from .jobs.overdue_tasks import OVERDUE_TASKS
from .persistence.models import Base

SERVICE = ServiceDefinition(
    name="careplans",
    package="carebridge_careplans",
    title="CareBridge Care Plans API",
    description="Versioned care plans, medication safety checks, the coordinator worklist, adherence and check-ins.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=[OVERDUE_TASKS, CHECK_IN_TASKS],
)


def create_app(test_config=None):
    return SERVICE.create_app(test_config)
