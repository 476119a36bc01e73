"""Find a patient, register one, and the patient page."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import auth
from ..gateway import ServiceError
from .calls import services

blp = Blueprint("patients", __name__, url_prefix="/patients")

SEXES = ("female", "male", "other", "unknown")
CHANNELS = (("inapp", "Patient portal only"), ("sms", "Text message"), ("email", "Email"))
LANGUAGES = (("en", "English"), ("es", "Spanish"), ("fr", "French"), ("pt", "Portuguese"), ("zh", "Chinese"),
             ("vi", "Vietnamese"), ("ar", "Arabic"))


@blp.get("")
@auth.signed_in
def find():
    query = request.args.get("q", "").strip()
    error, results, searched = None, [], False
    if query:
        searched = True
        try:
            results = services().find_patients(**_search_terms(query))
        except ServiceError as refused:
            error = str(refused)
    return render_template("patients/find.html", query=query, results=results, searched=searched, error=error)


def _search_terms(query: str) -> dict:
    """One box for a name, a birth date (YYYY-MM-DD or MM/DD/YYYY) or an MRN."""
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return {"birth_date": dt.datetime.strptime(query, pattern).date().isoformat()}
        except ValueError:
            pass
    if query.upper().startswith("MRN") or query.replace("-", "").isdigit():
        return {"mrn": query}
    return {"q": query}


@blp.route("/new", methods=["GET", "POST"])
@auth.signed_in
def register():
    form, errors, message = request.form, {}, None
    if request.method == "POST":
        data = _patient_from(form)
        try:
            patient = services().register_patient(data)
        except ServiceError as refused:
            errors, message = refused.errors, str(refused)
        else:
            flash(f'{patient["given_name"]} {patient["family_name"]} is registered.')
            return redirect(url_for("patients.page", patient_id=patient["id"]))
    return render_template("patients/register.html", form=form, errors=errors, message=message, sexes=SEXES,
                           channels=CHANNELS, languages=LANGUAGES), 200 if not errors and not message else 422


def _patient_from(form) -> dict:
    data = {name: form.get(name, "").strip() for name in
            ("mrn", "given_name", "family_name", "birth_date", "administrative_sex", "time_zone", "preferred_language")}
    data = {k: v for k, v in data.items() if v}
    contacts = []
    if form.get("phone", "").strip():
        contacts.append({"system": "sms", "value": form["phone"].strip()})
    if form.get("email", "").strip():
        contacts.append({"system": "email", "value": form["email"].strip()})
    if contacts:
        data["contact_points"] = contacts
    channel = form.get("preferred_channel") or "inapp"
    data["communication"] = {"preferred_channel": channel, "sms_consent": form.get("sms_consent") == "yes"}
    return data


@blp.get("/<uuid:patient_id>")
@auth.signed_in
def page(patient_id):
    record = services().patient_record(str(patient_id))
    patient = record["patient"]
    if isinstance(patient, ServiceError):
        raise patient
    appointments = [] if isinstance(record["appointments"], ServiceError) else record["appointments"]
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    upcoming = sorted((a for a in appointments if a["start"] >= now and a["status"] in ("booked", "arrived",
                                                                                          "checked-in", "pending")),
                      key=lambda a: a["start"])
    missed = [a for a in appointments if a["status"] == "noshow"]
    # By id, not by comparing whole dicts against both lists (quadratic in a
    # long history: 200 visits made 80,000 dict comparisons per page).
    shown = {a["id"] for a in upcoming} | {a["id"] for a in missed}
    past = sorted((a for a in appointments if a["id"] not in shown), key=lambda a: a["start"], reverse=True)
    plan, alerts = record["plan"], record["alerts"]
    people = set()
    teams = [] if isinstance(record["care_teams"], ServiceError) else record["care_teams"]
    for team in teams:
        people.add(team.get("lead_coordinator_id"))
        people.update(m["practitioner_id"] for m in team.get("members") or [])
    people.update(a.get("practitioner_id") for a in upcoming)     # past and missed visits show no clinician
    waitlist = [] if isinstance(record["waitlist"], ServiceError) else record["waitlist"]
    people.update(e.get("practitioner_id") for e in waitlist)
    clinicians = sorted({m["practitioner_id"] for team in teams if team.get("status") == "active"
                         for m in team.get("members") or []
                         if m.get("active") and m.get("role") in ("physician", "specialist", "nurse", "therapist")})
    names = services().names_of(people)
    return render_template("patients/page.html", patient=patient, record=record, plan=plan, alerts=alerts,
                           upcoming=upcoming, past=past, missed=missed, names=names, ServiceError=ServiceError,
                           clinicians=clinicians)
