"""Patients: registration, the record as the API answers it, changes, status
and search."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge import clock
from carebridge.web import PageArgs

from ...domain.dates import check_birth_date
from ...domain.vocabulary import ADMINISTRATIVE_SEXES, CLINICAL_SETTINGS, GENDER_IDENTITIES, PATIENT_STATUSES
from .contact import AddressSchema, communication, contact_points, language, time_zone
from .fields import AllOptional, Trimmed, UTCDateTime, checked_by, one_of, optional_one_of

MRN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$"


def _born_in_the_past(birth_date) -> None:
    check_birth_date(birth_date, clock.now())


class NewPatientSchema(ma.Schema):
    mrn = fields.String(required=True, validate=validate.Regexp(MRN_PATTERN, error="Letters, digits and hyphens."),
                        metadata={"description": "Medical record number, unique", "example": "MRN-004217"})
    given_name = Trimmed(100, required=True)
    middle_name = Trimmed(100, load_default=None, allow_none=True)
    family_name = Trimmed(100, required=True)
    preferred_name = Trimmed(100, load_default=None, allow_none=True)
    birth_date = fields.Date(required=True, validate=checked_by(_born_in_the_past))
    administrative_sex = one_of(ADMINISTRATIVE_SEXES, required=True)
    gender_identity = optional_one_of(GENDER_IDENTITIES)
    contact_points = contact_points()
    address = fields.Nested(AddressSchema, load_default=None, allow_none=True)
    preferred_language = language(load_default="en")
    time_zone = time_zone(required=True)
    communication = communication()
    clinical_setting = optional_one_of(CLINICAL_SETTINGS)
    facility_location_id = fields.UUID(
        load_default=None, allow_none=True,
        metadata={"description": "The scheduling location of the care facility the patient lives in (with "
                                 "clinical_setting nursing-home, visits booked without a location go there)"})


class PatientSchema(NewPatientSchema):
    id = fields.UUID(dump_only=True)
    status = one_of(PATIENT_STATUSES, dump_only=True)
    deceased_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True, metadata={"description": "Also the ETag"})
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class PatientChangesSchema(AllOptional, NewPatientSchema):
    """The fields to change; the others keep their values."""


class PatientStatusSchema(ma.Schema):
    status = one_of(PATIENT_STATUSES, required=True)
    deceased_at = UTCDateTime(load_default=None, allow_none=True,
                                       metadata={"description": "Only with status deceased"})


class PatientSearchArgs(PageArgs):
    q = fields.String(validate=validate.Length(min=1, max=100),
                      metadata={"description": "Part of any name; case and accents do not matter"})
    birth_date = fields.Date()
    mrn = fields.String(validate=validate.Length(min=1, max=64))
    care_team_member = fields.UUID(metadata={"description": "A practitioner on the patient's active care team now"})
    status = one_of(PATIENT_STATUSES)
