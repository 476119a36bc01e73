"""Scheduling: the "to book" list of follow-ups the plans ask for, slot
search (the patient's own clinician first, or any practitioner of a type on
a day), booking with any clash named, and marking arrived, no-show or
cancelled."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import auth
from ..gateway import Clash, ServiceError
from .calls import services

blp = Blueprint("scheduling", __name__, url_prefix="/scheduling")

CLASH_WORDS = {"practitioner-busy": "The clinician is already booked at that time.",
               "patient-busy": "The patient already has a visit at that time.",
               "outside-schedule": "That time is outside the clinician's schedule."}


@blp.get("")
@auth.signed_in
def to_book():
    calls = services()
    requests_ = calls.booking_requests()
    patients = calls.patient_names({r["patient_id"] for r in requests_})
    return render_template("scheduling/to_book.html", requests=requests_, patients=patients)


@blp.route("/book/<uuid:patient_id>", methods=["GET", "POST"])
@auth.signed_in
def book(patient_id):
    calls = services()
    patient_id = str(patient_id)
    clash = None
    if request.method == "POST":
        booking = {"patient_id": patient_id, "practitioner_id": request.form.get("practitioner_id", ""),
                   "appointment_type_code": request.form.get("appointment_type_code", ""),
                   "start": request.form.get("start", "")}
        for optional in ("care_plan_id", "plan_activity_id"):
            if request.form.get(optional):
                booking[optional] = request.form[optional]
        try:
            appointment = calls.book(**booking)
        except Clash as refused:
            reason = refused.problem.get("reason")
            clash = CLASH_WORDS.get(reason, str(refused))
        except ServiceError as refused:
            clash = str(refused)
        else:
            flash(f"Booked for {appointment['start']}.")
            return redirect(url_for("patients.page", patient_id=patient_id))
    patient = calls.patient(patient_id)
    zone = patient.get("time_zone") or "UTC"
    request_id = request.values.get("request_id")
    wanted = calls.booking_request(request_id) if request_id else None
    type_code = request.values.get("appointment_type_code") or (wanted or {}).get("appointment_type_code") or ""
    practitioner_id = request.values.get("practitioner_id") or (wanted or {}).get("practitioner_id") or ""
    day = request.values.get("day") or ""
    today = dt.date.today()
    start = (wanted or {}).get("window_start") or day or today.isoformat()
    end = (wanted or {}).get("window_end") or day or (today + dt.timedelta(days=14)).isoformat()
    own = _own_clinicians(calls, patient_id)
    if not practitioner_id and own and not day:
        practitioner_id = own[0]["id"]
    slots, search_error = [], None
    if type_code:
        try:
            slots = calls.slots(appointment_type_code=type_code, start_date=start, end_date=end, time_zone=zone,
                                practitioner_id=practitioner_id or None)
        except ServiceError as refused:
            search_error = str(refused)
    names = calls.names_of({s["practitioner_id"] for s in slots} | {p["id"] for p in own})
    return render_template("scheduling/book.html", patient=patient, types=calls.appointment_types(),
                           type_code=type_code, practitioner_id=practitioner_id, own=own, day=day, start=start,
                           end=end, slots=slots, names=names, wanted=wanted, clash=clash,
                           search_error=search_error, form=request.form), 409 if clash else 200


def _own_clinicians(calls, patient_id: str) -> list[dict]:
    """The clinicians on the patient's active care teams, physicians first,
    then specialists, then nurses (coordinators see no patients in a clinic)."""
    try:
        teams = calls.care_teams(patient_id)
    except ServiceError:
        return []
    order = {"physician": 0, "specialist": 1, "nurse": 2}
    found = {}
    for team in teams:
        if team.get("status") != "active":
            continue
        for member in team.get("members") or []:
            if member.get("active") and member.get("role") in order:
                found.setdefault(member["practitioner_id"], order[member["role"]])
    return [{"id": pid} for pid, _ in sorted(found.items(), key=lambda item: item[1])]


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@blp.route("/series/<uuid:patient_id>", methods=["GET", "POST"])
@auth.signed_in
def series(patient_id):
    """A recurring therapy series: the sessions it books, and every one it
    could not (a clash), each with the reason."""
    calls = services()
    patient_id = str(patient_id)
    patient = calls.patient(patient_id)
    wanted = calls.booking_request(request.values["request_id"]) if request.values.get("request_id") else None
    outcome, error, form = None, None, request.form
    if request.method == "POST":
        sessions = [{"weekday": day, "at": form.get(f"at_{day}", "").strip()} for day in WEEKDAYS
                    if form.get(f"day_{day}") and form.get(f"at_{day}", "").strip()]
        booking = {"patient_id": patient_id, "practitioner_id": form.get("practitioner_id", ""),
                   "appointment_type_code": form.get("appointment_type_code", ""),
                   "first_day": form.get("first_day", ""), "weeks": int(form.get("weeks") or 0),
                   "sessions": sessions, "time_zone": patient.get("time_zone") or "UTC"}
        for optional in ("care_plan_id", "plan_activity_id"):
            if form.get(optional):
                booking[optional] = form[optional]
        if not sessions:
            error = "Choose at least one weekday and its time."
        else:
            try:
                outcome = calls.book_series(**booking)
            except ServiceError as refused:
                error = str(refused) + "".join(f" {line}." for line in _lines(refused.errors))
    own = _own_clinicians(calls, patient_id)
    names = calls.names_of({p["id"] for p in own})
    return render_template("scheduling/series.html", patient=patient, wanted=wanted, own=own, names=names,
                           types=calls.appointment_types(), weekdays=WEEKDAYS, outcome=outcome, error=error,
                           form=form, clash_words=CLASH_WORDS), 200 if not error else 422


def _lines(errors) -> list[str]:
    from ..formatting import field_errors
    return field_errors(errors)


@blp.post("/appointments/<uuid:appointment_id>/status")
@auth.signed_in
def change_status(appointment_id):
    status = request.form.get("status", "")
    patient_id = request.form.get("patient_id", "")
    try:
        services().change_appointment(str(appointment_id), status,
                                      "patient-request" if status == "cancelled" else None)
    except ServiceError as refused:
        flash(str(refused), "error")
    else:
        flash({"arrived": "Marked arrived.", "noshow": "Marked as a no-show.",
               "cancelled": "The appointment is cancelled."}.get(status, "Updated."))
    return redirect(url_for("patients.page", patient_id=patient_id) if patient_id else url_for("scheduling.to_book"))


@blp.route("/reschedule/<uuid:appointment_id>", methods=["GET", "POST"])
@auth.signed_in
def reschedule(appointment_id):
    """Move a booked visit to another free time (the same clinician by
    default, or any of the visit's type on a day); a clash named in plain
    words, and the visit left where it was."""
    calls = services()
    appointment = calls.appointment(str(appointment_id))
    patient_id = appointment["patient_id"]
    clash = None
    if request.method == "POST":
        try:
            moved = calls.reschedule(appointment["id"], start=request.form.get("start", ""),
                                     practitioner_id=request.form.get("practitioner_id") or None)
        except Clash as refused:
            clash = CLASH_WORDS.get(refused.problem.get("reason"), str(refused))
        except ServiceError as refused:
            clash = str(refused)
        else:
            flash(f"Moved to {moved['start']}.")
            return redirect(url_for("patients.page", patient_id=patient_id))
        appointment = calls.appointment(appointment["id"])
    patient = calls.patient(patient_id)
    zone = patient.get("time_zone") or "UTC"
    anyone = request.values.get("anyone") == "yes"
    day = request.values.get("day") or ""
    today = dt.date.today()
    start = day or today.isoformat()
    end = day or (today + dt.timedelta(days=14)).isoformat()
    slots, search_error = [], None
    try:
        slots = calls.slots(appointment_type_code=appointment["appointment_type_code"], start_date=start,
                            end_date=end, time_zone=zone,
                            practitioner_id=None if anyone else appointment["practitioner_id"])
    except ServiceError as refused:
        search_error = str(refused)
    slots = [s for s in slots if s["start"] != appointment["start"]
             or s["practitioner_id"] != appointment["practitioner_id"]]
    names = calls.names_of({s["practitioner_id"] for s in slots} | {appointment["practitioner_id"]})
    return render_template("scheduling/reschedule.html", appointment=appointment, patient=patient, slots=slots,
                           names=names, day=day, anyone=anyone, start=start, end=end, clash=clash,
                           search_error=search_error), 409 if clash else 200


@blp.post("/waitlist/<uuid:patient_id>")
@auth.signed_in
def add_to_waitlist(patient_id):
    """Put the patient on the waitlist for an earlier time with a clinician:
    a freed slot before the chosen day is offered and held for them."""
    calls = services()
    patient_id = str(patient_id)
    form = request.form
    entry = {"patient_id": patient_id, "practitioner_id": form.get("practitioner_id", ""),
             "appointment_type_code": form.get("appointment_type_code", "")}
    try:
        entry["wanted_before"] = _start_of(form.get("wanted_before", ""), calls.patient(patient_id))
        calls.add_to_waitlist(**entry)
    except ValueError:
        flash("Give the day the patient wants to be seen before.", "error")
    except ServiceError as refused:
        flash(str(refused) + "".join(f" {line}." for line in _lines(refused.errors)), "error")
    else:
        flash(f"Added to the waitlist for a visit before {form['wanted_before']}.")
    return redirect(url_for("patients.page", patient_id=patient_id) + "#waitlist-h")


def _start_of(day: str, patient: dict) -> str:
    """Midnight starting `day` in the patient's time zone, as an ISO moment."""
    from zoneinfo import ZoneInfo
    zone = ZoneInfo(patient.get("time_zone") or "UTC")
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(0, 0), zone).isoformat()


@blp.post("/waitlist/entries/<uuid:entry_id>/withdraw")
@auth.signed_in
def withdraw_from_waitlist(entry_id):
    patient_id = request.form.get("patient_id", "")
    try:
        services().withdraw_from_waitlist(str(entry_id))
    except ServiceError as refused:
        flash(str(refused), "error")
    else:
        flash("Taken off the waitlist.")
    return redirect(url_for("patients.page", patient_id=patient_id) + "#waitlist-h" if patient_id
                    else url_for("scheduling.to_book"))
