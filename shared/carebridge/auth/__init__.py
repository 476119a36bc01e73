from .principal import (ALL_PATIENTS_ROLES, CARE_TEAM_SCOPED_ROLES, CLINICAL_ROLES, ROLES, Principal)
from .tokens import DEV_SUBJECTS, InvalidToken, TokenVerifier, issue_token, service_token

__all__ = ["ALL_PATIENTS_ROLES", "CARE_TEAM_SCOPED_ROLES", "CLINICAL_ROLES", "ROLES", "Principal",
           "DEV_SUBJECTS", "InvalidToken", "TokenVerifier", "issue_token", "service_token"]
