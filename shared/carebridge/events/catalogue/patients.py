"""Events published by the patients service."""
from marshmallow import fields, validate

from ..registry import registry
from .common import (CARE_TEAM_ROLES, CLINICAL_SETTINGS, STAFF_ROLES, CommunicationPreferences, ContactPoint,
                     DataSchema)

PATIENT_STATUSES = ("active", "inactive", "deceased")
CARE_TEAM_STATUSES = ("proposed", "active", "suspended", "inactive")
RELATIONSHIPS = ("spouse", "partner", "daughter", "son", "parent", "sibling", "grandchild",
                 "guardian", "caregiver", "friend", "other")


class _PatientReachability(DataSchema):
    """What consumers need to reach the patient and to respect how they want
    to be reached. No names, birth date or clinical detail."""
    patient_id = fields.UUID(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    mrn = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    status = fields.String(required=True, validate=validate.OneOf(PATIENT_STATUSES))
    preferred_language = fields.String(load_default="en", validate=validate.Length(min=2, max=35))
    time_zone = fields.String(required=True, validate=validate.Length(min=1, max=64))
    clinical_setting = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(CLINICAL_SETTINGS))
    # The scheduling location of the facility the patient lives in (a nursing
    # home), an identifier only: the patient's visits default to it.
    facility_location_id = fields.UUID(load_default=None, allow_none=True)
    contact_points = fields.List(fields.Nested(ContactPoint), required=True)
    communication = fields.Nested(CommunicationPreferences, required=True)


@registry.register("patients.patient-registered", 1)
class PatientRegisteredV1(_PatientReachability):
    pass


@registry.register("patients.patient-updated", 1)
class PatientUpdatedV1(_PatientReachability):
    changed_fields = fields.List(fields.String(validate=validate.Length(max=60)), required=True)


class CareTeamMember(DataSchema):
    membership_id = fields.UUID(required=True)
    practitioner_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(CARE_TEAM_ROLES))
    period_start = fields.AwareDateTime(required=True)
    period_end = fields.AwareDateTime(load_default=None, allow_none=True)


@registry.register("patients.care-team-changed", 1)
class CareTeamChangedV1(DataSchema):
    """The team's full membership (ended memberships included, with their end),
    so a consumer can rebuild its projection from the latest event alone.
    `revision` grows with every change; apply an event only if it is newer."""
    care_team_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(CARE_TEAM_STATUSES))
    category = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    lead_coordinator_id = fields.UUID(load_default=None, allow_none=True)
    members = fields.List(fields.Nested(CareTeamMember), required=True)


@registry.register("patients.practitioner-changed", 1)
class PractitionerChangedV1(DataSchema):
    """The staff directory entry a notification needs to reach a person."""
    practitioner_id = fields.UUID(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    role = fields.String(required=True, validate=validate.OneOf(STAFF_ROLES))
    specialty = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80))
    active = fields.Boolean(required=True)
    time_zone = fields.String(required=True, validate=validate.Length(min=1, max=64))
    preferred_language = fields.String(load_default="en", validate=validate.Length(min=2, max=35))
    contact_points = fields.List(fields.Nested(ContactPoint), required=True)


@registry.register("patients.practitioner-training-changed", 1)
class PractitionerTrainingChangedV1(DataSchema):
    """A practitioner's training started (`in_training` true, with the mentor)
    or ended with a sign-off. Identifiers only; `revision` grows with every
    change of the practitioner's training record: apply an event only if newer."""
    practitioner_id = fields.UUID(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    mentor_id = fields.UUID(required=True)
    in_training = fields.Boolean(required=True)


class Consent(DataSchema):
    """What a related person may be told; all false once withdrawn."""
    appointments = fields.Boolean(required=True)
    care_plan = fields.Boolean(required=True)
    billing = fields.Boolean(required=True)
    recorded_by = fields.UUID(load_default=None, allow_none=True)
    recorded_at = fields.AwareDateTime(load_default=None, allow_none=True)
    withdrawn_at = fields.AwareDateTime(load_default=None, allow_none=True)
    # Who recorded the withdrawal (optional, so consumers may ignore it).
    withdrawn_by = fields.UUID(load_default=None, allow_none=True)


@registry.register("patients.related-person-changed", 1)
class RelatedPersonChangedV1(DataSchema):
    related_person_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    active = fields.Boolean(required=True)
    relationship = fields.String(required=True, validate=validate.OneOf(RELATIONSHIPS))
    preferred_language = fields.String(load_default="en", validate=validate.Length(min=2, max=35))
    time_zone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    contact_points = fields.List(fields.Nested(ContactPoint), required=True)
    communication = fields.Nested(CommunicationPreferences, required=True)
    consent = fields.Nested(Consent, required=True)


@registry.register("patients.allergy-changed", 1)
class AllergyChangedV1(DataSchema):
    allergy_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    # An RxNorm ingredient code for a drug, or a drug class code such as
    # "class:penicillins"; the substance's name stays in the patients service.
    substance_system = fields.String(required=True, validate=validate.OneOf(("rxnorm", "drug-class", "snomed", "unii", "other")))
    substance_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    category = fields.String(required=True, validate=validate.OneOf(("medication", "food", "environment", "biologic")))
    criticality = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("low", "high", "unable-to-assess")))
    severity = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("mild", "moderate", "severe")))
    clinical_status = fields.String(required=True, validate=validate.OneOf(("active", "inactive", "resolved")))
    verification_status = fields.String(load_default="confirmed", validate=validate.OneOf(
        ("unconfirmed", "presumed", "confirmed", "refuted", "entered-in-error")))
