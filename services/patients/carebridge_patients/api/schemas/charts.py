"""A patient's chart: the record with its care teams, family and allergies."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from carebridge.web import paged

from .allergies import AllergySchema
from .care_teams import CareTeamSchema
from .patients import PatientSchema
from .related_persons import RelatedPersonSchema


class PatientChartSchema(ma.Schema):
    patient = fields.Nested(PatientSchema, required=True)
    care_teams = fields.Nested(paged(CareTeamSchema), required=True, metadata={
        "description": "The first page of the patient's care teams, as `listPatientCareTeams` gives it"})
    related_persons = fields.Nested(paged(RelatedPersonSchema), required=True, metadata={
        "description": "The first page of the patient's related persons, as `listRelatedPersons` gives it"})
    allergies = fields.Nested(paged(AllergySchema), required=True, allow_none=True, metadata={
        "description": "The first page of the patient's allergies, as `listAllergies` gives it; null for billing "
                       "staff, who see nothing clinical"})
