"""/patients: register, find, read, change and deactivate patients."""
from __future__ import annotations

import uuid

from flask.views import MethodView

from carebridge import audit
from carebridge.web import (Blueprint, allow_services, documented_if_match, idempotent, page_of, paged, patient_scoped,
                            request_session, require_if_match, require_roles)

from ..persistence.models import Patient
from ..service_layer import patients
from .access_rules import (CHANGES_PATIENT_STATUS, EDITS_PATIENTS, REGISTERS_PATIENTS, SEES_DEMOGRAPHICS, authorize,
                           authorized_get, searched_patients)
from .examples import CHANGED_PATIENT, INACTIVE_PATIENT, NEW_PATIENT, PATIENT, PATIENT_CHANGES, PATIENT_STATUS
from .responses import answer
from .schemas.fields import STRICT_QUERY
from .schemas.patients import (NewPatientSchema, PatientChangesSchema, PatientSchema, PatientSearchArgs,
                               PatientStatusSchema)

blp = Blueprint("patients", __name__, url_prefix="/patients",
                description="Patients: demographics, contact details, communication preferences and status.")

_patient = PatientSchema()


@blp.route("")
class Patients(MethodView):
    @require_roles(*SEES_DEMOGRAPHICS)
    @blp.doc(operationId="searchPatients")
    @blp.arguments(PatientSearchArgs, **STRICT_QUERY)
    @blp.response(200, paged(PatientSchema))
    def get(self, args):
        """Find patients

        By part of a name (any case, with or without accents), birth date,
        MRN, a care-team member or status; every criterion given must match.
        Nurses, physicians and specialists find only the patients of their
        active care teams. Leaves a `search` audit record for each patient
        found on the page (one without a patient if none)."""
        visible = searched_patients("patient", SEES_DEMOGRAPHICS)
        criteria = patients.PatientSearch(name=args.get("q"), birth_date=args.get("birth_date"), mrn=args.get("mrn"),
                                          care_team_member=args.get("care_team_member"), status=args.get("status"))
        return page_of(request_session(), patients.search(criteria, visible), args, patient_of=lambda found: found.id)

    @patient_scoped
    @require_roles(*REGISTERS_PATIENTS)
    @idempotent
    @blp.doc(operationId="registerPatient")
    @blp.arguments(NewPatientSchema, example=NEW_PATIENT)
    @blp.response(201, PatientSchema, example=PATIENT)
    def post(self, data):
        """Register a patient

        The MRN must be new (409 otherwise). Send an Idempotency-Key to retry
        safely. Publishes `patients.patient-registered`."""
        session = request_session()
        patient = patients.register(session, data)
        audit.record(session, action="create", resource_type="patient", resource_id=patient.id, patient_id=patient.id)
        return answer(_patient, patient, created_at=f"/patients/{patient.id}")


@blp.route("/<uuid:patient_id>")
class PatientById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getPatient")
    @allow_services("scheduling")
    @blp.response(200, PatientSchema, example=PATIENT)
    def get(self, patient_id: uuid.UUID):
        """Read a patient

        Open to the patient's care team, coordinators, admins, billing staff,
        and the scheduling service (confirming a patient it has not heard of
        yet before booking). The ETag is the version to send in If-Match."""
        patient = authorized_get(Patient, patient_id, patient_id, "patient", roles=SEES_DEMOGRAPHICS, action="read",
                                 resource_type="patient", resource_id=patient_id)
        return answer(_patient, patient)

    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="updatePatient")
    @blp.arguments(PatientChangesSchema, example=PATIENT_CHANGES)
    @blp.response(200, PatientSchema, example=CHANGED_PATIENT)
    def patch(self, changes, patient_id: uuid.UUID):
        """Change a patient's details

        Only the fields sent change; a nested object or list sent replaces
        the old one whole. Publishes `patients.patient-updated` naming the
        changed fields, unless nothing changed."""
        authorize(patient_id, roles=EDITS_PATIENTS, action="update", resource_type="patient", resource_id=patient_id)
        session = request_session()
        patient = patients.get(session, patient_id)
        require_if_match(patient.version)
        patients.update(session, patient, changes)
        return answer(_patient, patient)


@blp.route("/<uuid:patient_id>/status")
class PatientStatus(MethodView):
    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="changePatientStatus")
    @blp.arguments(PatientStatusSchema, example=PATIENT_STATUS)
    @blp.response(200, PatientSchema, example=INACTIVE_PATIENT)
    def put(self, change, patient_id: uuid.UUID):
        """Deactivate, reactivate, or record a death

        active ⇄ inactive, and either to deceased (which is final). Publishes
        `patients.patient-updated` with `status` among the changed fields;
        scheduling cancels future appointments when a patient leaves active."""
        authorize(patient_id, roles=CHANGES_PATIENT_STATUS, action="update", resource_type="patient",
                  resource_id=patient_id)
        session = request_session()
        patient = patients.get(session, patient_id)
        require_if_match(patient.version)
        patients.change_status(session, patient, change["status"], change["deceased_at"])
        return answer(_patient, patient)
