"""Allergies and intolerances."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, post_load, validate

from carebridge import clock
from carebridge.web import PageArgs

from ...domain.allergies import SUBSTANCE_CODE_MAX, check_category, normalise_substance_code
from ...domain.dates import check_not_future
from ...domain.vocabulary import (ALLERGY_CATEGORIES, ALLERGY_CLINICAL_STATUSES, ALLERGY_CRITICALITIES,
                                  ALLERGY_SEVERITIES, ALLERGY_SUBSTANCE_SYSTEMS, ALLERGY_VERIFICATION_STATUSES)
from .fields import AllOptional, Trimmed, checked_by, one_of, optional_one_of


def _not_in_the_future(day) -> None:
    check_not_future(day, clock.now())


class NewAllergySchema(ma.Schema):
    substance_system = one_of(ALLERGY_SUBSTANCE_SYSTEMS, required=True, metadata={
        "description": "rxnorm (an ingredient code) or drug-class for medications"})
    substance_code = fields.String(required=True, validate=validate.Length(min=1, max=SUBSTANCE_CODE_MAX), metadata={
        "description": "In the form of its system: RxNorm digits (7980 penicillin G), a drug class "
                       "(class:penicillins), SNOMED CT digits, a 10-character UNII, or any other code",
        "example": "7980"})
    substance_name = Trimmed(200, required=True, metadata={"example": "Penicillin G"})
    category = one_of(ALLERGY_CATEGORIES, load_default="medication")
    criticality = optional_one_of(ALLERGY_CRITICALITIES)
    severity = optional_one_of(ALLERGY_SEVERITIES)
    reaction = Trimmed(500, load_default=None, allow_none=True, metadata={"example": "Hives"})
    clinical_status = one_of(ALLERGY_CLINICAL_STATUSES, load_default="active")
    verification_status = one_of(ALLERGY_VERIFICATION_STATUSES, load_default="confirmed")
    onset_date = fields.Date(load_default=None, allow_none=True, validate=checked_by(_not_in_the_future))

    @post_load
    def check_substance(self, data, **kwargs):
        if "substance_system" not in data:
            return data  # a change, which cannot touch the substance
        system = data["substance_system"]
        try:
            data["substance_code"] = normalise_substance_code(system, data["substance_code"])
        except ValueError as error:
            raise ma.ValidationError(str(error), field_name="substance_code") from None
        try:
            check_category(system, data["category"])
        except ValueError as error:
            raise ma.ValidationError(str(error), field_name="category") from None
        return data


class AllergySchema(NewAllergySchema):
    id = fields.UUID(dump_only=True)
    patient_id = fields.UUID(dump_only=True)
    recorded_by = fields.UUID(dump_only=True, allow_none=True)
    recorded_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    version = fields.Integer(dump_only=True)


class AllergyChangesSchema(AllOptional, NewAllergySchema):
    """What can change about a recorded allergy. The substance cannot: a
    wrong one is marked entered-in-error and the right one recorded."""
    class Meta:
        exclude = ("substance_system", "substance_code", "category")


class AllergyListArgs(PageArgs):
    clinical_status = one_of(ALLERGY_CLINICAL_STATUSES)
