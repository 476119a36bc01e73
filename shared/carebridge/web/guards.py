"""Authorisation helpers for views.

    @require_roles("coordinator", "nurse")
    def get(...): ...

    patient_access(patient_id, action="read", resource_type="care-plan", resource_id=plan.id)

`patient_access` refuses with a 403 that says nothing about the patient (not
even whether they exist), audits the refusal, and on success queues the audit
record of the access on the request's transaction.

Another service calls with its own identity (`Principal.service`) and only
the operations that name it:

    @allow_services("scheduling")
    def get(self, patient_id): ...

Every other operation refuses a service before its view runs (403, audited;
`refuse_services_not_allowed`, a request hook). On an operation that allows
it, the service passes the operation's role check and sees every patient in
it: what it may do is the operation, not a role.
"""
from __future__ import annotations

import functools

from flask import current_app, g, request
from flask_smorest import Blueprint

from .. import access, audit
from ..auth import Principal
from ..auth.roles import ALL_PATIENTS_ROLES, CARE_TEAM_SCOPED_ROLES
from ..auth.tokens import KNOWN_SERVICES
from ..db.queries import get_or_404
from ..errors import ForbiddenError, NotFoundError
from .current import current_runtime
from .session import discard_request_transaction, request_session

FORBIDDEN_DETAIL = "You do not have access to this resource."
_SERVICE_CALLERS = "_carebridge_service_callers"
_AUDIT_ACTIONS = {"GET": "read", "HEAD": "read", "POST": "create", "PUT": "update", "PATCH": "update",
                  "DELETE": "delete"}

# Marks an operation in the OpenAPI document as reading or writing one
# patient's data, so the whole-stack security tests find every such endpoint.
patient_scoped = Blueprint.doc(**{"x-patient-scoped": True})


def allow_services(*services: str):
    """The services whose own identity may call this operation (documented
    as `x-service-callers`). Put it on its own line among the decorators."""
    unknown = set(services) - KNOWN_SERVICES
    if unknown or not services:
        raise ValueError(f"allow_services needs services among {sorted(KNOWN_SERVICES)}, not {sorted(unknown)}")

    def decorator(view):
        documented = Blueprint.doc(**{"x-service-callers": sorted(services)})(view)
        # Copied outwards by every functools.wraps decorator above it.
        setattr(documented, _SERVICE_CALLERS, frozenset(services))
        return documented
    return decorator


def _operation_view():
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return view
    method = request.method.lower()
    return getattr(view_class, method, None) or (getattr(view_class, "get", None) if method == "head" else None)


def refuse_services_not_allowed():
    """Request hook after authentication: a service identity reaches only
    the operations that name it."""
    principal = g.get("principal")
    if principal is None or principal.service is None or request.endpoint is None:
        return None
    if principal.service in getattr(_operation_view(), _SERVICE_CALLERS, ()):
        g.service_grant = principal.service
        return None
    route = request.url_rule.rule if request.url_rule is not None else request.path
    patient_id = (request.view_args or {}).get("patient_id")
    deny(action=_AUDIT_ACTIONS.get(request.method, "read"), resource_type="operation",
         resource_id=f"{request.method} {route}"[:80], patient_id=patient_id)


def conceal_absence(error) -> None:
    """A record that does not exist looks, to a caller who sees only their
    care teams' patients, exactly like another patient's record: the same
    403 (audited as a refusal), so that 403 and 404 never tell them whether
    someone else's record exists. Raises ForbiddenError, or returns when the
    404 may stand (callers who see every patient, billing staff, services,
    operations not about one patient, or a request already let in to the
    patient whose data lacks the thing asked for)."""
    principal = g.get("principal")
    view = _operation_view() if request.endpoint else None
    manual = ((getattr(view, "_apidoc", None) or {}).get("manual_doc") or {})
    if principal is None or principal.service is not None or not manual.get("x-patient-scoped"):
        return
    if principal.has_any(*ALL_PATIENTS_ROLES) or not principal.has_any(*CARE_TEAM_SCOPED_ROLES):
        return
    if g.get("patient_allowances"):
        return  # let in to the patient already: what is missing is theirs
    route = request.url_rule.rule if request.url_rule is not None else request.path
    deny(action=_AUDIT_ACTIONS.get(request.method, "read"), resource_type="operation",
         resource_id=f"{request.method} {route}"[:80])


def register_absence_concealment(app) -> None:
    """404s of patient-scoped operations go through `conceal_absence`."""
    from .problems import problem

    @app.errorhandler(NotFoundError)
    def _not_found(error: NotFoundError):
        try:
            conceal_absence(error)
        except ForbiddenError as concealed:
            error = concealed
        return problem(error.status, error.detail, title=error.title, type_slug=error.type_slug,
                       errors=error.errors, **error.extensions)


def service_allowed() -> bool:
    """The caller is a service that this operation allows."""
    principal = current_principal()
    return principal.service is not None and g.get("service_grant") == principal.service


def current_principal() -> Principal:
    return g.principal


def require_roles(*roles: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            ensure_roles(*roles)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def ensure_roles(*roles: str) -> Principal:
    principal = current_principal()
    if not (principal.has_any(*roles) or service_allowed()):
        raise ForbiddenError(FORBIDDEN_DETAIL)
    return principal


def deny(*, action: str, resource_type: str, resource_id=None, patient_id=None, detail: str = FORBIDDEN_DETAIL):
    """Refuse with 403 and a `denied` audit record. `detail` may say what
    would be allowed (never anything about the patient)."""
    # The request fails anyway: end its transaction first, so the refusal's
    # own audit transaction never waits on it (SQLite has one writer).
    discard_request_transaction()
    audit.record_denied(current_runtime().db, action=action, resource_type=resource_type,
                        resource_id=resource_id, patient_id=patient_id, principal=current_principal())
    raise ForbiddenError(detail)


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
    if principal.has_any(*also_allowed_roles) or service_allowed():
        return None
    return access.patients_visible_to(principal)


def patient_access(patient_id, *, action: str, resource_type: str, resource_id=None,
                   also_allowed_roles: tuple[str, ...] = ()) -> None:
    """Allow coordinators, admins, the patient's active care team, any role
    in `also_allowed_roles` and a service this operation allows; audit
    either way."""
    principal = current_principal()
    session = request_session()
    allowed = (principal.has_any(*also_allowed_roles) or service_allowed()
               or access.may_see_patient(session, principal, patient_id))
    if not allowed:
        deny(action=action, resource_type=resource_type, resource_id=resource_id, patient_id=patient_id)
    _admit(principal, session, patient_id, action=action, resource_type=resource_type, resource_id=resource_id,
           also_allowed_roles=also_allowed_roles)


def get_patient_scoped(model, key, patient_id, what: str, *, action: str, resource_type: str, resource_id=None,
                       also_allowed_roles: tuple[str, ...] = ()):
    """`patient_access(patient_id, ...)` then `get_or_404(model, key, what)`,
    with the same answers (403 to a caller who may not see the patient,
    whether or not the row exists; audited either way), in one round trip
    to the database instead of two for a caller whose access is their care
    team: the row and the membership come from one SELECT. The record is for
    answering a read: for a care team member it is a read-only
    `access.ReadRecord` (the model's columns as attributes, not in the
    session), for anyone else the ORM instance; change a record loaded by
    the ORM instead."""
    principal = current_principal()
    session = request_session()
    if not (principal.has_any(*also_allowed_roles) or service_allowed()) and access.checked_by_team(principal):
        found = access.get_with_team_check(session, model, key, principal, patient_id)
        if found is not None:
            record, member = found
            if not member:
                deny(action=action, resource_type=resource_type, resource_id=resource_id, patient_id=patient_id)
            _admit(principal, session, patient_id, action=action, resource_type=resource_type,
                   resource_id=resource_id, also_allowed_roles=also_allowed_roles)
            return record
    # No such row (the check alone decides between 403 and 404), or a caller
    # not checked by care team.
    patient_access(patient_id, action=action, resource_type=resource_type, resource_id=resource_id,
                   also_allowed_roles=also_allowed_roles)
    return get_or_404(session, model, key, what)


def _admit(principal, session, patient_id, *, action, resource_type, resource_id, also_allowed_roles) -> None:
    # What let the caller in, for a replay of this request's response
    # (`concurrency.idempotent` checks it again then).
    allowances = g.setdefault("patient_allowances", {})
    allowances[str(patient_id)] = sorted(set(allowances.get(str(patient_id), ())) | set(also_allowed_roles))
    audit.record(session, action=action, resource_type=resource_type, resource_id=resource_id,
                 patient_id=patient_id, principal=principal)
