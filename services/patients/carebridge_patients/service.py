"""Composition root of the patients service: everything the kit needs to run it."""
from carebridge.service import ServiceDefinition
from carebridge.web import create_app as build_app

from .api import register_api
from .events.subscriptions import subscriptions
from .persistence.models import Base

# No settings or dependencies of its own: the kit's settings cover it, and it
# calls no other service or outside system.
SERVICE = ServiceDefinition(
    name="patients",
    package="carebridge_patients",
    title="CareBridge Patients API",
    description="Patients, their family and caregivers (with consent), the staff directory, care teams and allergies.",
    metadata=Base.metadata,
    register_api=register_api,
    subscriptions=subscriptions,
    jobs=[],
)


def create_app(test_config=None):
    return build_app(SERVICE, test_config)
