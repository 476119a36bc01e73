"""The roles a token can carry, and the groups of them the services'
access rules are written with. A view says `@require_roles(*CLINICAL_ROLES)`
rather than spelling the roles out, so that a new role (a therapist, a
privacy officer) is added in one place.
"""
from __future__ import annotations

ROLES = ("coordinator", "nurse", "physician", "specialist", "billing", "admin", "service", "privacy-officer")

# Clinical staff who see a patient only while on that patient's active care team.
CARE_TEAM_SCOPED_ROLES = ("nurse", "physician", "specialist")
# Everyone who works on patients' care: coordinators and the care-team-scoped roles.
CLINICAL_ROLES = ("coordinator", *CARE_TEAM_SCOPED_ROLES)
# Who reads clinical records: clinical staff, administrators and other services.
CLINICAL_READERS = (*CLINICAL_ROLES, "admin", "service")
# Staff people (no service identities).
STAFF_ROLES = (*CLINICAL_ROLES, "billing", "admin")
# Roles that see every patient's clinical data (no care-team check).
ALL_PATIENTS_ROLES = ("coordinator", "admin", "service")
# Who answers "who saw this patient's record": the audit trail of every
# service (GET /audit-events), not the records themselves.
AUDIT_READERS = ("admin", "privacy-officer")
