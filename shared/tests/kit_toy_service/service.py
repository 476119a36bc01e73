from carebridge.service import ServiceDefinition

from . import events  # noqa: F401  (registers the toy event schemas)
from .api import register_api
from .handlers import subscriptions
from .models import Base

SERVICE = ServiceDefinition(
    name="toys", package="kit_toy_service", title="Toy service (kit tests)",
    description="A service that exists only to test the kit.", metadata=Base.metadata,
    register_api=register_api, subscriptions=subscriptions,
)
