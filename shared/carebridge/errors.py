"""Errors the service layer raises, free of HTTP; the web layer turns each
into its problem+json status. Messages must not contain PHI: they are sent to
the caller and may be logged."""
from __future__ import annotations


class CareBridgeError(Exception):
    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str | None = None, *, errors: dict | None = None, **extensions):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.extensions = extensions


class NotFoundError(CareBridgeError):
    status = 404
    title = "Not found"
    type_slug = "not-found"


class ConflictError(CareBridgeError):
    """The request clashes with the current state (a duplicate, a taken slot)."""
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class InvalidTransition(ConflictError):
    """A state change the lifecycle does not allow; names the allowed ones."""
    title = "Transition not allowed"
    type_slug = "invalid-transition"

    def __init__(self, current: str, requested: str, allowed):
        allowed = sorted(allowed)
        super().__init__(
            f"cannot go from {current!r} to {requested!r}; allowed from {current!r}: "
            f"{', '.join(allowed) if allowed else 'none'}",
            current_status=current, requested_status=requested, allowed=allowed)


class RuleViolation(CareBridgeError):
    """Well-formed input that a business rule refuses (422, with the rule)."""
    status = 422
    title = "Request breaks a rule"
    type_slug = "rule-violation"


class ForbiddenError(CareBridgeError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class PreconditionFailed(CareBridgeError):
    status = 412
    title = "Precondition failed"
    type_slug = "stale-write"


class PreconditionRequired(CareBridgeError):
    status = 428
    title = "Precondition required"
    type_slug = "if-match-required"


class DependencyUnavailable(CareBridgeError):
    """Another service or the payer did not answer; the caller may retry."""
    status = 503
    title = "Dependency unavailable"
    type_slug = "dependency-unavailable"
