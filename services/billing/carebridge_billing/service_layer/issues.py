"""Billing issues: opened on a patient's behalf, worked by billing staff with
notes, assignment and status until resolved."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.db import get_or_404
from carebridge.errors import ConflictError

from ..domain.issues import ISSUE_LIFECYCLE
from ..persistence.charges import Charge
from ..persistence.claims import Claim
from ..persistence.issues import BillingIssue, BillingIssueNote
from .common import refuse, touch


def get_issue(session: Session, issue_id: uuid.UUID) -> BillingIssue:
    return get_or_404(session, BillingIssue, issue_id, "billing issue")


def open_issue(session: Session, data: dict, actor: str) -> BillingIssue:
    patient_id = data["patient_id"]
    for field, model in (("claim_id", Claim), ("charge_id", Charge)):
        if data.get(field) is not None:
            found = session.get(model, data[field])
            if found is None or found.patient_id != patient_id:
                raise refuse(field, f"No such {field.removesuffix('_id')} for this patient.")
    now = clock.now()
    issue = BillingIssue(id=uuid.uuid4(), patient_id=patient_id, category=data["category"], status="open",
                         source=data["source"], summary=data["summary"], claim_id=data.get("claim_id"),
                         charge_id=data.get("charge_id"), assignee_id=data.get("assignee_id"), opened_by=actor,
                         opened_at=now, updated_at=now, notes=[])
    if data.get("note"):
        issue.notes.append(BillingIssueNote(id=uuid.uuid4(), author=actor, body=data["note"], created_at=now))
    session.add(issue)
    session.flush()
    outbox.record(session, "billing.issue-opened", {
        "issue_id": issue.id, "patient_id": patient_id, "category": issue.category, "opened_by": actor,
        "claim_id": issue.claim_id})
    return issue


def change_issue(session: Session, issue: BillingIssue, changes: dict, actor: str) -> BillingIssue:
    if issue.status == "closed":
        raise ConflictError("This issue is closed; open a new one.")
    target = changes.get("status")
    if "resolution" in changes and target != "resolved":
        raise refuse("resolution", "A resolution is given when resolving the issue.")
    now = clock.now()
    if "assignee_id" in changes:
        issue.assignee_id = changes["assignee_id"]
    resolved_now = False
    if target is not None and target != issue.status:
        ISSUE_LIFECYCLE.check(issue.status, target)
        if target == "resolved":
            if not changes.get("resolution"):
                raise refuse("resolution", "Say how the issue was resolved.")
            issue.resolution, issue.resolved_by, issue.resolved_at = changes["resolution"], actor, now
            resolved_now = True
        elif issue.status == "resolved" and target != "closed":
            issue.resolution = issue.resolved_by = issue.resolved_at = None  # reopened
        issue.status = target
    if changes.get("note"):
        issue.notes.append(BillingIssueNote(id=uuid.uuid4(), author=actor, body=changes["note"], created_at=now))
    touch(issue)
    session.flush()
    if resolved_now:
        outbox.record(session, "billing.issue-resolved", {
            "issue_id": issue.id, "patient_id": issue.patient_id, "category": issue.category,
            "resolution": issue.resolution, "resolved_by": actor})
    return issue


def add_note(session: Session, issue: BillingIssue, body: str, actor: str) -> BillingIssueNote:
    if issue.status == "closed":
        raise ConflictError("This issue is closed; open a new one.")
    note = BillingIssueNote(id=uuid.uuid4(), author=actor, body=body, created_at=clock.now())
    issue.notes.append(note)
    touch(issue)
    session.flush()
    return note
