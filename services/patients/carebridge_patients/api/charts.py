"""/patients/{id}/chart: the record with its care teams, family and
allergies in one read, for the top of a staff app's patient page (four
reads otherwise, each with its own request, transaction and audit record)."""
from __future__ import annotations

import uuid

from flask import jsonify
from flask.views import MethodView

from carebridge.web import Blueprint, current_principal, page_of, patient_scoped, request_session

from ..persistence.models import Patient
from ..service_layer import allergies, care_teams, related_persons
from .access_rules import SEES_DEMOGRAPHICS, authorized_get, sees_clinical_detail
from .schemas.charts import PatientChartSchema

blp = Blueprint("charts", __name__, url_prefix="/patients/<uuid:patient_id>/chart",
                description="A patient's chart: the record, care teams, family and allergies in one read.")

# Each list's first page, as large as a list endpoint's largest page: a
# patient with more (a total above the items) is paged through that list.
FIRST_PAGE = {"page": 1, "page_size": 100}

_chart = PatientChartSchema()
# Billing staff see who is on a team, not what it is for (as in care_teams.py).
_chart_for_billing = PatientChartSchema(exclude=("care_teams.items.name", "care_teams.items.category"))


@blp.route("")
class PatientChart(MethodView):
    @patient_scoped
    @blp.doc(operationId="getPatientChart")
    @blp.response(200, PatientChartSchema)
    def get(self, patient_id: uuid.UUID):
        """Read a patient's chart

        The patient with the first page (up to 100) of each of their care
        teams, related persons and allergies, in those lists' own order and
        with their totals: what the top of a patient's page shows, in one
        read. Open to whoever may read the patient; allergies are null for
        billing staff. Audited as one read of the `patient-chart`."""
        patient = authorized_get(Patient, patient_id, patient_id, "patient", roles=SEES_DEMOGRAPHICS, action="read",
                                 resource_type="patient-chart", resource_id=patient_id)
        session = request_session()
        clinical = sees_clinical_detail(current_principal())
        chart = {
            "patient": patient,
            "care_teams": page_of(session, care_teams.search(care_teams.TeamSearch(patient_id=patient_id), None),
                                  FIRST_PAGE),
            "related_persons": page_of(session, related_persons.of_patient(patient_id, {}), FIRST_PAGE),
            "allergies": page_of(session, allergies.of_patient(patient_id, {}), FIRST_PAGE) if clinical else None,
        }
        return chart if clinical else jsonify(_chart_for_billing.dump(chart))
