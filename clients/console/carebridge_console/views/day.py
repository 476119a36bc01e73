"""My day: the worklist (my tasks and my teams' unassigned ones) and my inbox."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import auth
from ..gateway import ServiceError, StaleEdit
from .calls import services

blp = Blueprint("day", __name__)

TASK_KINDS = {"outreach": "Outreach", "check-in": "Check-in", "adherence-review": "Adherence review",
              "rebook": "Rebook a visit", "medication-review": "Medication review",
              "follow-up-booking": "Book a follow-up", "prior-auth-follow-up": "Prior authorization",
              "general": "General"}


def _filters() -> dict:
    return {"patient_id": request.args.get("patient_id", "").strip() or None,
            "kind": request.args.get("kind", "").strip() or None,
            "due_by": request.args.get("due_by", "").strip() or None}


def _worklist(filters: dict) -> tuple[list[dict], dict]:
    calls = services()
    tasks = calls.worklist(patient_id=filters["patient_id"],
                           codes=[filters["kind"]] if filters["kind"] in TASK_KINDS else None)
    if filters["due_by"]:
        try:
            end = dt.date.fromisoformat(filters["due_by"])
        except ValueError:
            end = None
        if end is not None:
            tasks = [t for t in tasks if t.get("due_at") and dt.datetime.fromisoformat(t["due_at"]).date() <= end]
    patients = calls.patient_names({t["patient_id"] for t in tasks})
    return tasks, patients


@blp.get("/")
@auth.signed_in
def my_day():
    filters = _filters()
    calls = services()
    # The inbox is read while the worklist and its patients' names are.
    inbox = calls.started(inbox=(calls.inbox,), counts=(calls.unread,))
    tasks, patients = _worklist(filters)
    found = inbox()
    return render_template("day.html", tasks=tasks, patients=patients, filters=filters, kinds=TASK_KINDS,
                           inbox=_ok(found["inbox"], []), counts=_ok(found["counts"], {}),
                           inbox_error=_error(found["inbox"]))


@blp.get("/worklist")
@auth.signed_in
def worklist_panel():
    filters = _filters()
    tasks, patients = _worklist(filters)
    return render_template("partials/worklist.html", tasks=tasks, patients=patients, filters=filters,
                           kinds=TASK_KINDS)


@blp.get("/inbox")
@auth.signed_in
def inbox_panel():
    calls = services()
    found = calls.parallel(inbox=(calls.inbox,), counts=(calls.unread,))
    return render_template("partials/inbox.html", inbox=_ok(found["inbox"], []), counts=_ok(found["counts"], {}),
                           inbox_error=_error(found["inbox"]))


@blp.post("/inbox/<uuid:notification_id>/acknowledge")
@auth.signed_in
def acknowledge(notification_id):
    services().acknowledge(str(notification_id))
    if request.headers.get("HX-Request"):
        return inbox_panel()
    flash("Acknowledged.")
    return redirect(url_for("day.my_day"))


@blp.post("/tasks/<uuid:task_id>/take")
@auth.signed_in
def take(task_id):
    return _task_change(lambda: services().take_task(str(task_id), auth.current_user()["id"]), "Task taken.")


@blp.post("/tasks/<uuid:task_id>/complete")
@auth.signed_in
def complete(task_id):
    note = request.form.get("note", "").strip()
    return _task_change(lambda: services().complete_task(str(task_id), note), "Task completed.")


@blp.route("/tasks/<uuid:task_id>/reassign", methods=["GET", "POST"])
@auth.signed_in
def reassign(task_id):
    calls = services()
    task = calls.task(str(task_id))
    error = None
    if request.method == "POST":
        owner_id = request.form.get("owner_id", "")
        reason = request.form.get("reason", "").strip()
        if not owner_id or not reason:
            error = "Choose who takes the task over and say why."
        else:
            try:
                calls.reassign_task(str(task_id), owner_id, reason)
            except StaleEdit as stale:
                error = str(stale)
            except ServiceError as refused:
                error = str(refused)
            else:
                flash("Task reassigned.")
                return redirect(url_for("day.my_day"))
    staff = calls.staff_directory()
    patient = calls.patient_names([task["patient_id"]])
    return render_template("reassign.html", task=task, staff=staff, patients=patient, kinds=TASK_KINDS,
                           error=error), 200 if error is None else 422


def _task_change(change, done: str):
    try:
        change()
    except ServiceError as refused:
        flash(str(refused), "error")
    else:
        flash(done)
    if request.headers.get("HX-Request"):
        filters = _filters()
        tasks, patients = _worklist(filters)
        return render_template("partials/worklist.html", tasks=tasks, patients=patients, filters=filters,
                               kinds=TASK_KINDS)
    return redirect(url_for("day.my_day"))


def _ok(value, default):
    return default if isinstance(value, ServiceError) else value


def _error(value):
    return str(value) if isinstance(value, ServiceError) else None
