"""Problem+json answers as exceptions. Every one carries the HTTP `status`,
the `problem` body, and the `request_id` of the call (the X-Request-ID the
services log it under)."""
from __future__ import annotations

from typing import Any


class CareBridgeError(Exception):
    """Anything the client raises."""


class ApiError(CareBridgeError):
    """The API answered with an error (application/problem+json)."""

    def __init__(self, status: int, problem: dict, request_id: str | None, method: str = "", url: str = ""):
        self.status = status
        self.problem = problem
        self.request_id = request_id
        self.method = method
        self.url = url
        self.type = problem.get("type", "")
        self.title = problem.get("title", "")
        self.detail = problem.get("detail", "")
        super().__init__(f"{method} {url} -> {status} {self.title}: {self.detail} (request {request_id})")

    @property
    def slug(self) -> str:
        return problem_slug(self.type)


class BadRequest(ApiError):
    """400: the request could not be read (malformed JSON)."""


class Unauthorized(ApiError):
    """401: no token, or one the services do not accept."""


class Forbidden(ApiError):
    """403: the caller may not do this (or see this patient)."""


class NotFound(ApiError):
    """404: no such resource (or one the caller may not know of)."""


class Conflict(ApiError):
    """409, or 412 when the resource changed since it was read. For a 412,
    `current` is the resource as it is now (read again by the client), so
    the caller can look at what changed and retry on it."""

    current: Any = None


class InvalidTransition(Conflict):
    """409: the resource's state does not allow the change; `allowed` names the moves that are."""

    @property
    def allowed(self) -> list:
        return self.problem.get("allowed", [])


class MedicationSafetyRefusal(Conflict):
    """409: the medication safety check refused the change. `findings` names
    each finding; a physician or nurse on the care team may resend with a
    medication override."""

    @property
    def findings(self) -> list[dict]:
        return self.problem.get("findings", [])


class PreconditionRequired(ApiError):
    """428: the change needs If-Match (read the resource first)."""


class ValidationFailed(ApiError):
    """422: invalid fields (`errors`: field -> messages) or a broken rule."""

    @property
    def errors(self) -> dict:
        return self.problem.get("errors", {})


class TooManyRequests(ApiError):
    """429."""


class ServiceUnavailable(ApiError):
    """503 after the client's retries: the service or one it depends on is down."""


class NotDevelopment(CareBridgeError):
    """The development token provider was used against a stack that is not in development mode."""


class TokenError(CareBridgeError):
    """The token endpoint refused or could not be reached."""


_BY_STATUS = {400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict, 412: Conflict,
              422: ValidationFailed, 428: PreconditionRequired, 429: TooManyRequests, 503: ServiceUnavailable}
_BY_SLUG = {"medication-safety": MedicationSafetyRefusal, "invalid-transition": InvalidTransition}


def problem_slug(problem_type: str) -> str:
    """`medication-safety` for `urn:carebridge:problem:medication-safety` (or a URL ending so)."""
    return str(problem_type).replace(":", "/").rsplit("/", 1)[-1]


def error_for(status: int, problem: dict, request_id: str | None, method: str, url: str) -> ApiError:
    slug = problem_slug(problem.get("type", ""))
    cls = _BY_SLUG.get(slug) or _BY_STATUS.get(status, ApiError)
    return cls(status, problem, request_id, method, url)
