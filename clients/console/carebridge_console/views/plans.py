"""Care plans: start from a template, edit goals, activities and medications
(a medication-safety refusal shown in plain words, with the override form
for a physician or nurse), version history with a side-by-side diff, and the
printable plain-language summary."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import auth
from ..summary_words import LANGUAGE_NAMES, words_for
from ..gateway import MedicationRefusal, ServiceError, StaleEdit
from .calls import services

blp = Blueprint("plans", __name__, url_prefix="/care-plans")

ACTIVITY_STATUSES = ("not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped")
# The careplans service's words for a route and a frequency (its OpenAPI document's enums).
ROUTES = ("oral", "sublingual", "subcutaneous", "intramuscular", "intravenous", "inhaled", "topical",
          "transdermal", "ophthalmic", "nasal", "rectal")
FREQUENCIES = ("once-daily", "twice-daily", "three-times-daily", "four-times-daily", "every-morning",
               "every-evening", "at-bedtime", "every-8-hours", "every-12-hours", "every-other-day", "weekly",
               "as-needed")
# Who may override a medication-safety refusal (the careplans service checks it too).
OVERRIDERS = ("physician", "nurse")
# Who may send the summary to the patient and family (the careplans service's clinical roles).
SENDERS = ("physician", "nurse", "coordinator", "specialist", "therapist")


@blp.route("/start/<uuid:patient_id>", methods=["GET", "POST"])
@auth.signed_in
def start(patient_id):
    calls = services()
    error = None
    if request.method == "POST":
        try:
            plan = calls.start_plan(str(patient_id), request.form.get("template_code", ""),
                                    request.form.get("care_team_id") or None)
        except MedicationRefusal as refusal:
            error = f"{refusal} " + " ".join(f["text"] for f in refusal.findings)
        except ServiceError as refused:
            error = str(refused)
        else:
            flash("The care plan is started as a draft.")
            return redirect(url_for("plans.edit", plan_id=plan["id"]))
    patient = calls.patient(str(patient_id))
    return render_template("plans/start.html", patient=patient, templates=calls.plan_templates(),
                           teams=calls.care_teams(str(patient_id)), error=error), 200 if not error else 422


@blp.route("/<uuid:plan_id>", methods=["GET", "POST"])
@auth.signed_in
def edit(plan_id):
    calls = services()
    plan_id = str(plan_id)
    refusal, error, stale, form = None, None, None, request.form
    if request.method == "POST":
        action = form.get("action")
        try:
            _apply(calls, plan_id, action, form)
        except MedicationRefusal as refused:
            refusal = refused
        except StaleEdit as changed:
            stale = changed
        except ServiceError as refused:
            error = refused
        else:
            flash({"add-medication": "The medication is added.", "override": "The medication is added with "
                   "your override; the alert is recorded.", "add-goal": "The goal is added.",
                   "activity-status": "The activity is updated.", "status": "The plan's status is changed."
                   }.get(action, "Saved."))
            return redirect(url_for("plans.edit", plan_id=plan_id))
    plan = calls.care_plan(plan_id)
    found = calls.parallel(patient=(calls.patient, plan["patient_id"]), alerts=(calls.medication_alerts, plan_id))
    patient = found["patient"] if not isinstance(found["patient"], ServiceError) else None
    alerts = found["alerts"] if not isinstance(found["alerts"], ServiceError) else []
    medicines = {a["id"]: a for a in plan.get("activities") or [] if a.get("kind") == "medication"}
    user = auth.current_user()
    status = 200 if not (refusal or error or stale) else (409 if (refusal or stale) else 422)
    return render_template("plans/edit.html", plan=plan, patient=patient, alerts=alerts, refusal=refusal,
                           refusal_lines=_plain_findings(refusal, medicines, form) if refusal else [],
                           error=error, stale=stale, form=form, statuses=ACTIVITY_STATUSES,
                           routes=ROUTES, frequencies=FREQUENCIES,
                           may_override=user["role"] in OVERRIDERS), status


def _apply(calls, plan_id: str, action: str, form) -> None:
    version = form.get("version", "0")
    if action in ("add-medication", "override"):
        medication = {"name": form.get("med_name", "").strip(), "dose": form.get("med_dose", "").strip(),
                      "route": form.get("med_route", "").strip() or "oral",
                      "frequency": form.get("med_frequency", "").strip()}
        if form.get("med_rxnorm", "").strip():
            medication["rxnorm_code"] = form["med_rxnorm"].strip()
        if form.get("med_purpose", "").strip():
            medication["purpose"] = form["med_purpose"].strip()
        activity = {"kind": "medication", "description": f'Take {medication["name"]}', "medication": medication}
        override = form.get("override_reason", "").strip() if action == "override" else None
        if action == "override" and not override:
            raise ServiceError("Say why the medication should be given despite the alert.", status=422,
                               errors={"override_reason": ["A reason is required to override."]})
        calls.revise_plan(plan_id, version, reason=form.get("reason", "").strip() or f'Add {medication["name"]}',
                          override_reason=override, activities=[activity])
    elif action == "add-goal":
        calls.revise_plan(plan_id, version, reason=form.get("reason", "").strip() or "Add a goal",
                          goals=[{"description": form.get("goal_description", "").strip(),
                                  "lifecycle_status": "active"}])
    elif action == "activity-status":
        calls.revise_plan(plan_id, version, reason=form.get("reason", "").strip() or "Activity status changed",
                          activities=[{"id": form.get("activity_id"), "status": form.get("activity_status")}])
    elif action == "status":
        calls.change_plan_status(plan_id, form.get("status", ""), form.get("reason", "").strip() or "Changed")
    else:
        raise ServiceError("Unknown change.", status=400)


def _plain_findings(refusal: MedicationRefusal, medicines: dict, form) -> list[str]:
    """Each finding in plain words, naming both drugs."""
    new_name = form.get("med_name", "").strip() or "the new medication"
    lines = []
    for finding in refusal.findings:
        other = medicines.get(finding.get("interacting_activity_id") or "")
        if other:
            other_name = other["medication"]["name"]
            lead = f"{new_name} and {other_name}"
        elif finding.get("kind") == "allergy":
            lead = f"{new_name} and the patient's recorded allergy"
        else:
            lead = new_name
        lines.append(f'{finding.get("severity", "").capitalize()} — {lead}: {finding.get("text", "")}')
    return lines


@blp.get("/<uuid:plan_id>/history")
@auth.signed_in
def history(plan_id):
    calls = services()
    plan = calls.care_plan(str(plan_id))
    versions = calls.plan_versions(str(plan_id))
    newer = request.args.get("to", type=int) or plan["version"]
    older = request.args.get("from", type=int) or max(1, newer - 1)
    diff, sides = None, None
    if older != newer:
        found = calls.parallel(diff=(calls.plan_diff, str(plan_id), older, newer),
                               left=(calls.plan_version, str(plan_id), older),
                               right=(calls.plan_version, str(plan_id), newer))
        for value in found.values():
            if isinstance(value, ServiceError):
                raise value
        diff, sides = found["diff"], (found["left"], found["right"])
    return render_template("plans/history.html", plan=plan, versions=versions, diff=diff, sides=sides,
                           older=older, newer=newer)


@blp.get("/<uuid:plan_id>/summary")
@auth.signed_in
def summary(plan_id):
    """The printable plain-language summary in the patient's language (the
    careplans service writes it in English or Spanish), with the button that
    sends it to the patient and family; printing it prints only the summary."""
    return _summary_page(str(plan_id))


@blp.post("/<uuid:plan_id>/summary/send")
@auth.signed_in
def send_summary(plan_id):
    """Send the summary to the patient (and, unless unticked, the family with
    consent to care-plan news); the confirmation or the refusal on the page."""
    try:
        sent = services().send_plan_summary(str(plan_id), include_family=request.form.get("include_family") == "yes")
    except ServiceError as refused:
        return _summary_page(str(plan_id), send_error=str(refused)), refused.status if refused.status < 500 else 502
    flash(f'The summary (version {sent["version"]}) is sent to the patient'
          f'{" and the family members who may be told about the care plan" if sent["include_family"] else ""}.')
    return redirect(url_for("plans.summary", plan_id=plan_id))


def _summary_page(plan_id: str, send_error: str | None = None):
    calls = services()
    found = calls.parallel(plan=(calls.care_plan, plan_id), summary=(calls.plan_summary, plan_id))
    for value in found.values():
        if isinstance(value, ServiceError):
            raise value
    plan, summary = found["plan"], found["summary"]
    patient = calls.patient_names([plan["patient_id"]]).get(plan["patient_id"])
    user = auth.current_user()
    return render_template("plans/summary.html", plan=plan, summary=summary, patient=patient,
                           words=words_for(summary.get("language")),
                           language_name=LANGUAGE_NAMES.get(summary.get("language"), summary.get("language")),
                           may_send=user["role"] in SENDERS,
                           send_error=send_error)
