"""/patients/{id}/allergies: allergies and intolerances (not for billing staff)."""
from __future__ import annotations

import uuid

from flask.views import MethodView

from carebridge.web import (Blueprint, current_principal, documented_if_match, idempotent, page_of, paged,
                            patient_scoped, request_session, require_if_match)

from ..service_layer import allergies, patients
from .access_rules import RECORDS_ALLERGIES, SEES_CLINICAL, authorize
from .examples import ALLERGY, ALLERGY_CHANGES, CHANGED_ALLERGY, NEW_ALLERGY
from .responses import answer
from .schemas.fields import STRICT_QUERY
from .schemas.allergies import AllergyChangesSchema, AllergyListArgs, AllergySchema, NewAllergySchema

blp = Blueprint("allergies", __name__, url_prefix="/patients/<uuid:patient_id>/allergies",
                description="Allergies and intolerances, which care plans check medications against.")

_allergy = AllergySchema()
RESOURCE = "allergy"


@blp.route("")
class Allergies(MethodView):
    @patient_scoped
    @blp.doc(operationId="listAllergies")
    @blp.arguments(AllergyListArgs, **STRICT_QUERY)
    @blp.response(200, paged(AllergySchema))
    def get(self, args, patient_id: uuid.UUID):
        """List a patient's allergies

        Filter with `clinical_status=active` for what a medication check needs."""
        authorize(patient_id, roles=SEES_CLINICAL, action="read", resource_type=RESOURCE)
        session = request_session()
        patients.ensure_exists(session, patient_id)
        return page_of(session, allergies.of_patient(patient_id, args), args)

    @patient_scoped
    @idempotent
    @blp.doc(operationId="recordAllergy")
    @blp.arguments(NewAllergySchema, example=NEW_ALLERGY)
    @blp.response(201, AllergySchema, example=ALLERGY)
    def post(self, data, patient_id: uuid.UUID):
        """Record an allergy or intolerance

        One record per substance (409 otherwise; update that one). Publishes
        `patients.allergy-changed` with the substance's code, not its name."""
        authorize(patient_id, roles=RECORDS_ALLERGIES, action="create", resource_type=RESOURCE)
        session = request_session()
        patient = patients.get(session, patient_id)
        allergy = allergies.record(session, patient, data, recorded_by=current_principal().practitioner_id)
        return answer(_allergy, allergy, created_at=f"/patients/{patient_id}/allergies/{allergy.id}")


@blp.route("/<uuid:allergy_id>")
class AllergyById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getAllergy")
    @blp.response(200, AllergySchema, example=ALLERGY)
    def get(self, patient_id: uuid.UUID, allergy_id: uuid.UUID):
        """Read an allergy"""
        authorize(patient_id, roles=SEES_CLINICAL, action="read", resource_type=RESOURCE, resource_id=allergy_id)
        allergy = allergies.get(request_session(), patient_id, allergy_id)
        return answer(_allergy, allergy)

    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="updateAllergy")
    @blp.arguments(AllergyChangesSchema, example=ALLERGY_CHANGES)
    @blp.response(200, AllergySchema, example=CHANGED_ALLERGY)
    def patch(self, changes, patient_id: uuid.UUID, allergy_id: uuid.UUID):
        """Change an allergy

        Its status, criticality, severity, reaction or onset; a wrong
        substance is marked `entered-in-error`. Publishes `patients.allergy-changed`."""
        authorize(patient_id, roles=RECORDS_ALLERGIES, action="update", resource_type=RESOURCE, resource_id=allergy_id)
        session = request_session()
        allergy = allergies.get(session, patient_id, allergy_id)
        require_if_match(allergy.version)
        allergies.update(session, allergy, changes)
        return answer(_allergy, allergy)
