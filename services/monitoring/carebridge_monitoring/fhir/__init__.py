"""The monitoring service's records as FHIR R4 resources (plain dicts)."""
