"""The roles a token can carry, and the groups of them the services'
access rules are written with. A view says `@require_roles(*CLINICAL_ROLES)`
rather than spelling the roles out, so that a new role (a therapist, a
privacy officer) is added in one place.
"""
from __future__ import annotations

ROLES = ("coordinator", "nurse", "physician", "specialist", "therapist", "billing", "admin", "service",
         "privacy-officer", "device-gateway")
# The role of another CareBridge service calling with its own identity. It
# grants nothing by itself: an operation names the services that may call it
# (`carebridge.web.allow_services`), and refuses every other one.
SERVICE_ROLE = "service"

# Clinical staff who see a patient only while on that patient's active care team.
CARE_TEAM_SCOPED_ROLES = ("nurse", "physician", "specialist", "therapist")
# Everyone who works on patients' care: coordinators and the care-team-scoped roles.
CLINICAL_ROLES = ("coordinator", *CARE_TEAM_SCOPED_ROLES)
# Who reads clinical records: clinical staff and administrators.
CLINICAL_READERS = (*CLINICAL_ROLES, "admin")
# Staff people (no service identities).
STAFF_ROLES = (*CLINICAL_ROLES, "billing", "admin")
# Roles that see every patient's clinical data (no care-team check).
ALL_PATIENTS_ROLES = ("coordinator", "admin")
# A remote-monitoring device gateway: it may only send readings of the
# devices enrolled in monitoring (the monitoring service's batch endpoint).
DEVICE_GATEWAY_ROLE = "device-gateway"
# Who answers "who saw this patient's record": the audit trail of every
# service (GET /audit-events), not the records themselves.
AUDIT_READERS = ("admin", "privacy-officer")
