"""OpenAPI documentation helpers for billing's views."""
from __future__ import annotations

from carebridge.web import documented_if_match


def if_match_action(blp):
    """For POST actions that change an existing resource: documents If-Match
    and the 412/428 answers (the kit documents those on PUT/PATCH only)."""
    def decorator(view):
        view = blp.alt_response(412, "PRECONDITION_FAILED")(view)
        view = blp.alt_response(428, "PRECONDITION_REQUIRED")(view)
        return documented_if_match(view)
    return decorator
