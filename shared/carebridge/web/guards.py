"""Authorisation helpers for views.

    @require_roles("coordinator", "nurse")
    def get(...): ...

    patient_access(patient_id, action="read", resource_type="care-plan", resource_id=plan.id)

`patient_access` refuses with a 403 that says nothing about the patient (not
even whether they exist), audits the refusal, and on success queues the audit
record of the access on the request's transaction.
"""
from __future__ import annotations

import functools

from flask import g

from .. import access, audit
from ..auth import Principal
from ..errors import ForbiddenError
from .api import Blueprint
from .current import current_runtime
from .session import discard_request_transaction, request_session

FORBIDDEN_DETAIL = "You do not have access to this resource."

# Marks an operation in the OpenAPI document as reading or writing one
# patient's data, so the whole-stack security tests find every such endpoint.
patient_scoped = Blueprint.doc(**{"x-patient-scoped": True})


def current_principal() -> Principal:
    return g.principal


def require_roles(*roles: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not current_principal().has_any(*roles):
                raise ForbiddenError(FORBIDDEN_DETAIL)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def ensure_roles(*roles: str) -> Principal:
    principal = current_principal()
    if not principal.has_any(*roles):
        raise ForbiddenError(FORBIDDEN_DETAIL)
    return principal


def deny(*, action: str, resource_type: str, resource_id=None, patient_id=None):
    # The request fails anyway: end its transaction first, so the refusal's
    # own audit transaction never waits on it (SQLite has one writer).
    discard_request_transaction()
    audit.record_denied(current_runtime().db, action=action, resource_type=resource_type,
                        resource_id=resource_id, patient_id=patient_id, principal=current_principal())
    raise ForbiddenError(FORBIDDEN_DETAIL)


def audited_search(resource_type: str, patient_id=None, *, resource_id=None,
                   also_allowed_roles: tuple[str, ...] = ()):
    """Audit a list or search: the patient's `search` record when it is
    about one patient (refused with 403 like any access to them), else one
    `search` record per patient the page `page_of` returns shows (none: one
    record of the search). Returns the patients the caller may see, for
    `carebridge.db.among_patients` (None: every patient; also for a caller
    with one of `also_allowed_roles`, as in `patient_access`)."""
    principal = current_principal()
    if patient_id is not None:
        patient_access(patient_id, action="search", resource_type=resource_type, resource_id=resource_id,
                       also_allowed_roles=also_allowed_roles)
    else:
        audit.record_search(request_session(), resource_type=resource_type, resource_id=resource_id,
                            principal=principal)
    if principal.has_any(*also_allowed_roles):
        return None
    return access.patients_visible_to(principal)


def patient_access(patient_id, *, action: str, resource_type: str, resource_id=None,
                   also_allowed_roles: tuple[str, ...] = ()) -> None:
    """Allow coordinators, admins and services, the patient's active care
    team, and any role in `also_allowed_roles`; audit either way."""
    principal = current_principal()
    session = request_session()
    allowed = principal.has_any(*also_allowed_roles) or access.may_see_patient(session, principal, patient_id)
    if not allowed:
        deny(action=action, resource_type=resource_type, resource_id=resource_id, patient_id=patient_id)
    audit.record(session, action=action, resource_type=resource_type, resource_id=resource_id,
                 patient_id=patient_id, principal=principal)
