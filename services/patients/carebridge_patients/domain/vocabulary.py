"""The codes this service accepts. Codes shared with other services come from
the event catalogue, so both sides of a contract use the same list."""
from carebridge.events.catalogue.common import CARE_TEAM_ROLES, CLINICAL_SETTINGS, CONTACT_SYSTEMS, STAFF_ROLES
from carebridge.events.catalogue.patients import CARE_TEAM_STATUSES, PATIENT_STATUSES, RELATIONSHIPS

# FHIR AdministrativeGender: the sex recorded for administrative purposes.
ADMINISTRATIVE_SEXES = ("female", "male", "other", "unknown")
# FHIR gender-identity codes; recorded only when the patient states one.
GENDER_IDENTITIES = ("female", "male", "non-binary", "transgender-female", "transgender-male",
                     "other", "non-disclose")
CONTACT_USES = ("home", "work", "mobile", "temp")
ADDRESS_USES = ("home", "work", "temp", "billing")
# People are reached in the app, by e-mail or by text message; webhooks are
# for systems, not people.
PERSON_CHANNELS = ("inapp", "email", "sms")

ALLERGY_SUBSTANCE_SYSTEMS = ("rxnorm", "drug-class", "snomed", "unii", "other")
ALLERGY_CATEGORIES = ("medication", "food", "environment", "biologic")
ALLERGY_CRITICALITIES = ("low", "high", "unable-to-assess")
ALLERGY_SEVERITIES = ("mild", "moderate", "severe")
ALLERGY_CLINICAL_STATUSES = ("active", "inactive", "resolved")
ALLERGY_VERIFICATION_STATUSES = ("unconfirmed", "presumed", "confirmed", "refuted", "entered-in-error")

__all__ = ["ADMINISTRATIVE_SEXES", "GENDER_IDENTITIES", "CONTACT_SYSTEMS", "CONTACT_USES", "ADDRESS_USES",
           "PERSON_CHANNELS", "CLINICAL_SETTINGS", "PATIENT_STATUSES", "RELATIONSHIPS", "STAFF_ROLES",
           "CARE_TEAM_ROLES", "CARE_TEAM_STATUSES", "ALLERGY_SUBSTANCE_SYSTEMS", "ALLERGY_CATEGORIES",
           "ALLERGY_CRITICALITIES", "ALLERGY_SEVERITIES", "ALLERGY_CLINICAL_STATUSES",
           "ALLERGY_VERIFICATION_STATUSES"]
