"""Who may do what with billing data.

- Billing staff, coordinators and admins work with all billing data.
- Nurses, physicians and specialists on the patient's active care team may
  read coverage summaries and cost estimates (and ask for an estimate),
  nothing else. Service tokens may read those too.
Every access to one patient's data is audited once, a refusal included.
"""
from __future__ import annotations

import uuid
from typing import Callable

from carebridge import access, audit
from carebridge.auth.roles import ALL_PATIENTS_ROLES, STAFF_ROLES
from carebridge.web import current_principal, deny, patient_access, request_session

# Billing, and the staff who see every patient (coordinators, admins).
BILLING_STAFF = ("billing", *(role for role in ALL_PATIENTS_ROLES if role in STAFF_ROLES))


def actor() -> str:
    return current_principal().subject


def is_billing_staff() -> bool:
    return current_principal().has_any(*BILLING_STAFF)


def billing_data_access(patient_id: uuid.UUID, *, action: str, resource_type: str, resource_id=None) -> None:
    """Billing data proper (coverage details, charges, claims, authorizations, issues)."""
    if not is_billing_staff():
        deny(action=action, resource_type=resource_type, resource_id=resource_id, patient_id=patient_id)
    patient_access(patient_id, action=action, resource_type=resource_type, resource_id=resource_id,
                   also_allowed_roles=("billing",))


def cost_information_access(patient_id: uuid.UUID, *, action: str, resource_type: str, resource_id=None) -> None:
    """Coverage summaries and estimates: billing staff, and the care team."""
    patient_access(patient_id, action=action, resource_type=resource_type, resource_id=resource_id,
                   also_allowed_roles=("billing",))


def audit_search(resource_type: str, patient_id: uuid.UUID | None = None, *, check=billing_data_access):
    """The kit's `audited_search` as billing needs it: the patient's `search`
    record (checked with `check`) when the list is filtered by patient, else
    a `search` record per patient the page shows; returns the patients the
    caller may see for `among_patients` (None: all). Unlike the kit's,
    billing staff may search one patient's records and see every patient's."""
    principal = current_principal()
    if patient_id is not None:
        check(patient_id, action="search", resource_type=resource_type)
    else:
        audit.record_search(request_session(), resource_type=resource_type, principal=principal)
    return None if principal.has_any("billing") else access.patients_visible_to(principal)


def billing_record(load: Callable, record_id: uuid.UUID, *, action: str, resource_type: str,
                   check: Callable = billing_data_access):
    """Load one record of a patient (404 when missing) and check, and audit,
    the caller's access to it (403 when refused)."""
    record = load(request_session(), record_id)
    check(record.patient_id, action=action, resource_type=resource_type, resource_id=record.id)
    return record
