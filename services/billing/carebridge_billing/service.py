"""Composition root of the billing service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition
from carebridge.web import create_app as build_app

from .api import register_api
from .dependencies import BillingDependencies
from .events.subscriptions import subscriptions
from .jobs import JOBS
from .persistence.models import Base
from .settings import BillingSettings

SERVICE = ServiceDefinition(
    name="billing",
    package="carebridge_billing",
    title="CareBridge Billing API",
    description="Coverage, patient cost estimates, charges and claims, prior authorization and billing issues.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=JOBS,
    settings=BillingSettings,
    dependencies=BillingDependencies,
)


def create_app(test_config=None):
    return build_app(SERVICE, test_config)
