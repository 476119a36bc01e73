"""Who may do what with a patient's data in this service.

Coordinators and admins see every patient; nurses, physicians and
specialists only the patients whose active care team they are on (the kit's
`patient_access`); another service only on the operations that name it
(`allow_services`: scheduling reads a patient). Billing staff see every patient's
demographics, contacts and family (to reach the right person about a bill)
and who is on a care team, but no allergies and nothing else clinical.
"""
from __future__ import annotations

from carebridge.auth import CLINICAL_READERS, CLINICAL_ROLES, ROLES, Principal
from carebridge.web import (audited_search, current_principal, deny, get_patient_scoped, patient_access,
                            service_allowed)

# Who runs the charts and the directory.
_MANAGERS = ("coordinator", "admin")

SEES_CLINICAL = CLINICAL_READERS
SEES_DEMOGRAPHICS = (*CLINICAL_READERS, "billing")
REGISTERS_PATIENTS = _MANAGERS
EDITS_PATIENTS = (*CLINICAL_ROLES, "admin")
# Recording a death or closing a chart is for the people who run the chart
# and the physician who certifies.
CHANGES_PATIENT_STATUS = (*_MANAGERS, "physician")
RECORDS_ALLERGIES = CLINICAL_ROLES
MANAGES_CARE_TEAMS = _MANAGERS
READS_DIRECTORY = ROLES
MANAGES_DIRECTORY = _MANAGERS

# Roles that pass the care-team check whatever team they are on: billing
# staff are on no care team but may read demographics.
_NOT_TEAM_SCOPED = ("billing",)


def authorize(patient_id, *, roles: tuple[str, ...], action: str, resource_type: str, resource_id=None) -> None:
    """Allow one of `roles`, within the care-team rule; refuse (403, audited,
    saying nothing about the patient) anyone else. On success, queues the one
    audit record of this access."""
    principal = current_principal()
    if not (principal.has_any(*roles) or service_allowed()):
        deny(action=action, resource_type=resource_type, resource_id=resource_id, patient_id=patient_id)
    patient_access(patient_id, action=action, resource_type=resource_type, resource_id=resource_id,
                   also_allowed_roles=tuple(role for role in _NOT_TEAM_SCOPED if role in roles))


def authorized_get(model, key, patient_id, what: str, *, roles: tuple[str, ...], action: str, resource_type: str,
                   resource_id=None):
    """`authorize(patient_id, ...)` and then the row of `model` with primary
    key `key` or a 404 naming `what`, with the same answers; for a care
    team member, the row and the membership come from one SELECT."""
    principal = current_principal()
    if not (principal.has_any(*roles) or service_allowed()):
        deny(action=action, resource_type=resource_type, resource_id=resource_id, patient_id=patient_id)
    return get_patient_scoped(model, key, patient_id, what, action=action, resource_type=resource_type,
                              resource_id=resource_id,
                              also_allowed_roles=tuple(role for role in _NOT_TEAM_SCOPED if role in roles))


def searched_patients(resource_type: str, roles: tuple[str, ...]):
    """For lists across patients: audit the search (a `search` record per
    patient the page shows) and return a SELECT of the patient ids the
    principal may find, or None for all."""
    return audited_search(resource_type, also_allowed_roles=tuple(role for role in _NOT_TEAM_SCOPED if role in roles))


def sees_clinical_detail(principal: Principal) -> bool:
    return principal.has_any(*SEES_CLINICAL)
