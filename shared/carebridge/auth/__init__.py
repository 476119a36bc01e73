from .principal import Principal
from .roles import (ALL_PATIENTS_ROLES, AUDIT_READERS, CARE_TEAM_SCOPED_ROLES, CLINICAL_READERS, CLINICAL_ROLES,
                    ROLES, SERVICE_ROLE, STAFF_ROLES)
from .tokens import DEV_SUBJECTS, InvalidToken, TokenVerifier, issue_token, service_token

__all__ = ["ALL_PATIENTS_ROLES", "AUDIT_READERS", "CARE_TEAM_SCOPED_ROLES", "CLINICAL_READERS", "CLINICAL_ROLES",
           "ROLES", "SERVICE_ROLE", "STAFF_ROLES", "Principal", "DEV_SUBJECTS", "InvalidToken", "TokenVerifier",
           "issue_token",
           "service_token"]
