"""Costs: an estimate for a service with its plain-language explanation,
ready to read to a patient on the phone."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from .. import auth
from ..gateway import ServiceError
from .calls import services

blp = Blueprint("costs", __name__, url_prefix="/costs")


@blp.route("", methods=["GET", "POST"])
@auth.signed_in
def estimate():
    calls = services()
    patient_id = request.values.get("patient_id", "").strip()
    result, error, patient = None, None, None
    if patient_id:
        try:
            patient = calls.patient(patient_id)
        except ServiceError as refused:
            error = str(refused)
    if request.method == "POST" and patient and not error:
        try:
            result = calls.estimate(patient_id, service_code=request.form.get("service_code") or None,
                                    appointment_type_code=request.form.get("appointment_type_code") or None,
                                    service_date=request.form.get("service_date") or None)
        except ServiceError as refused:
            error = str(refused)
    return render_template("costs/estimate.html", patient=patient, patient_id=patient_id,
                           types=calls.appointment_types(), result=result, error=error,
                           form=request.form), 200 if not error else 422
