"""CareBridge's Python client: typed namespaces per service, generated from
the services' OpenAPI documents (clients/python/generate.py).

    from carebridge_client import CareBridge, DevelopmentToken
    cb = CareBridge(token_provider=DevelopmentToken("coordinator", subject=my_practitioner_id))
    patient = cb.patients.get(patient_id)
"""
from ._client import CareBridge, RawService, development_urls
from ._models import UNSET, Model, Paged
from .auth import ClientCredentials, DevelopmentToken, StaticToken, TokenProvider
from .errors import (ApiError, BadRequest, CareBridgeError, Conflict, Forbidden, InvalidTransition,
                     MedicationSafetyRefusal, NotDevelopment, NotFound, PreconditionRequired, ServiceUnavailable,
                     TokenError, TooManyRequests, Unauthorized, ValidationFailed)

__version__ = "0.1.0"

__all__ = ["CareBridge", "RawService", "development_urls", "UNSET", "Model", "Paged", "ClientCredentials",
           "DevelopmentToken", "StaticToken", "TokenProvider", "ApiError", "BadRequest", "CareBridgeError",
           "Conflict", "Forbidden", "InvalidTransition", "MedicationSafetyRefusal", "NotDevelopment", "NotFound",
           "PreconditionRequired", "ServiceUnavailable", "TokenError", "TooManyRequests", "Unauthorized",
           "ValidationFailed"]
