"""/patients/{id}/related-persons: family members, caregivers and their consent."""
from __future__ import annotations

import uuid

from flask.views import MethodView

from carebridge.web import (Blueprint, current_principal, documented_if_match, idempotent, page_of, paged,
                            patient_scoped, request_session, require_if_match)

from ..service_layer import patients, related_persons
from .access_rules import EDITS_PATIENTS, SEES_DEMOGRAPHICS, authorize
from .examples import (CHANGED_RELATED_PERSON, CONSENTED_RELATED_PERSON, NEW_CONSENT, NEW_RELATED_PERSON,
                       RELATED_PERSON, RELATED_PERSON_CHANGES, WITHDRAWN_RELATED_PERSON)
from .responses import answer
from .schemas.fields import STRICT_QUERY
from .schemas.related_persons import (ConsentScopesSchema, NewRelatedPersonSchema, RelatedPersonChangesSchema,
                                      RelatedPersonListArgs, RelatedPersonSchema)

blp = Blueprint("related-persons", __name__, url_prefix="/patients/<uuid:patient_id>/related-persons",
                description="Family members and caregivers of a patient, and what they consent to be told.")

_person = RelatedPersonSchema()
RESOURCE = "related-person"


def _load_for_change(patient_id: uuid.UUID, person_id: uuid.UUID, action: str = "update"):
    authorize(patient_id, roles=EDITS_PATIENTS, action=action, resource_type=RESOURCE, resource_id=person_id)
    session = request_session()
    return session, related_persons.get(session, patient_id, person_id, for_update=True)


@blp.route("")
class RelatedPersons(MethodView):
    @patient_scoped
    @blp.doc(operationId="listRelatedPersons")
    @blp.arguments(RelatedPersonListArgs, **STRICT_QUERY)
    @blp.response(200, paged(RelatedPersonSchema))
    def get(self, args, patient_id: uuid.UUID):
        """List a patient's related persons"""
        authorize(patient_id, roles=SEES_DEMOGRAPHICS, action="read", resource_type=RESOURCE)
        session = request_session()
        patients.ensure_exists(session, patient_id)
        return page_of(session, related_persons.of_patient(patient_id, args), args)

    @patient_scoped
    @idempotent
    @blp.doc(operationId="addRelatedPerson")
    @blp.arguments(NewRelatedPersonSchema, example=NEW_RELATED_PERSON)
    @blp.response(201, RelatedPersonSchema, example=RELATED_PERSON)
    def post(self, data, patient_id: uuid.UUID):
        """Add a family member or caregiver

        A `consent` sent here is recorded as given by you, now. Publishes
        `patients.related-person-changed`."""
        authorize(patient_id, roles=EDITS_PATIENTS, action="create", resource_type=RESOURCE)
        session = request_session()
        patient = patients.get(session, patient_id)
        person = related_persons.add(session, patient, data, recorded_by=current_principal().practitioner_id)
        return answer(_person, person, created_at=f"/patients/{patient_id}/related-persons/{person.id}")


@blp.route("/<uuid:person_id>")
class RelatedPersonById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getRelatedPerson")
    @blp.response(200, RelatedPersonSchema, example=RELATED_PERSON)
    def get(self, patient_id: uuid.UUID, person_id: uuid.UUID):
        """Read a related person"""
        authorize(patient_id, roles=SEES_DEMOGRAPHICS, action="read", resource_type=RESOURCE, resource_id=person_id)
        person = related_persons.get(request_session(), patient_id, person_id)
        return answer(_person, person)

    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="updateRelatedPerson")
    @blp.arguments(RelatedPersonChangesSchema, example=RELATED_PERSON_CHANGES)
    @blp.response(200, RelatedPersonSchema, example=CHANGED_RELATED_PERSON)
    def patch(self, changes, patient_id: uuid.UUID, person_id: uuid.UUID):
        """Change a related person's details

        Set `active` to false when they no longer play a part. Consent has
        its own endpoints."""
        session, person = _load_for_change(patient_id, person_id)
        require_if_match(person.version)
        related_persons.update(session, person, changes)
        return answer(_person, person)


@blp.route("/<uuid:person_id>/consent")
class ConsentDecision(MethodView):
    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="recordRelatedPersonConsent")
    @blp.arguments(ConsentScopesSchema, example=NEW_CONSENT)
    @blp.response(200, RelatedPersonSchema, example=CONSENTED_RELATED_PERSON)
    def put(self, scopes, patient_id: uuid.UUID, person_id: uuid.UUID):
        """Record what a related person may be told

        Replaces the previous decision, a withdrawal included, and records
        you as its author, now. Publishes `patients.related-person-changed`."""
        session, person = _load_for_change(patient_id, person_id)
        require_if_match(person.version)
        related_persons.record_consent(session, person, scopes, recorded_by=current_principal().practitioner_id)
        return answer(_person, person)


@blp.route("/<uuid:person_id>/consent-withdrawal")
class ConsentWithdrawal(MethodView):
    @patient_scoped
    @blp.doc(operationId="withdrawRelatedPersonConsent")
    @blp.response(200, RelatedPersonSchema, example=WITHDRAWN_RELATED_PERSON)
    def post(self, patient_id: uuid.UUID, person_id: uuid.UUID):
        """Withdraw a related person's consent

        Nothing is shared with them from now on. Needs no If-Match: a
        withdrawal is honoured whatever changed since you last looked.
        Withdrawing again changes nothing."""
        session, person = _load_for_change(patient_id, person_id)
        related_persons.withdraw_consent(session, person, withdrawn_by=current_principal().practitioner_id)
        return answer(_person, person)
