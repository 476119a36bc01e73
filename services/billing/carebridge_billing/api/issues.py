"""/billing-issues: disputed charges, denied claims and insurance questions
that billing staff work to resolution."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.web import (Blueprint, documented_if_match, dump, idempotent, paged, patient_scoped, request_session,
                            require_if_match, require_roles, with_etag)

from ..persistence.issues import BillingIssue
from ..service_layer.issues import add_note, change_issue, get_issue, open_issue
from .access import BILLING_STAFF, actor, billing_data_access, billing_record
from .examples import ISSUE, ISSUE_UPDATE, NEW_ISSUE, NEW_NOTE, NOTE, RESOLVED_ISSUE
from .listing import filtered_page
from .schemas.issues import IssueCreateSchema, IssueListArgs, IssueSchema, IssueUpdateSchema, NoteCreateSchema, NoteSchema

_issue = IssueSchema()


blp = Blueprint("billing-issues", __name__, url_prefix="/billing-issues",
                description="Billing issues: open, in progress, waiting on the payer, resolved, closed.")
RESOURCE = "billing-issue"


def _answer(issue: BillingIssue, status: int = 200):
    return with_etag((dump(_issue, issue), status), issue.version)


@blp.route("")
class Issues(MethodView):
    @require_roles(*BILLING_STAFF)
    @blp.doc(operationId="listBillingIssues")
    @blp.arguments(IssueListArgs, location="query")
    @blp.response(200, paged(IssueSchema))
    def get(self, args):
        """List billing issues

        Most recently changed first."""
        statement = select(BillingIssue).order_by(BillingIssue.updated_at.desc(), BillingIssue.id)
        return filtered_page(request_session(), statement, BillingIssue, args,
                             ("patient_id", "status", "category", "assignee_id"), RESOURCE, lambda issue: issue)

    @patient_scoped
    @require_roles(*BILLING_STAFF)
    @idempotent
    @blp.doc(operationId="openBillingIssue")
    @blp.arguments(IssueCreateSchema, example=NEW_ISSUE)
    @blp.response(201, IssueSchema, example=ISSUE)
    def post(self, data):
        """Open a billing issue on a patient's behalf"""
        session = request_session()
        billing_data_access(data["patient_id"], action="create", resource_type=RESOURCE)
        return _answer(open_issue(session, data, actor()), 201)


@blp.route("/<uuid:issue_id>")
class IssueById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getBillingIssue")
    @blp.response(200, IssueSchema, example=ISSUE)
    def get(self, issue_id):
        """Read a billing issue with its notes"""
        return _answer(billing_record(get_issue, issue_id, action="read", resource_type=RESOURCE))

    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="updateBillingIssue")
    @blp.arguments(IssueUpdateSchema, example=ISSUE_UPDATE)
    @blp.response(200, IssueSchema, example=RESOLVED_ISSUE)
    def patch(self, changes, issue_id):
        """Update a billing issue

        Move it along (resolving needs a resolution), reassign it, add a note."""
        issue = billing_record(get_issue, issue_id, action="update", resource_type=RESOURCE)
        require_if_match(issue.version)
        return _answer(change_issue(request_session(), issue, changes, actor()))


@blp.route("/<uuid:issue_id>/notes")
class IssueNotes(MethodView):
    @patient_scoped
    @idempotent
    @blp.doc(operationId="addBillingIssueNote")
    @blp.arguments(NoteCreateSchema, example=NEW_NOTE)
    @blp.response(201, NoteSchema, example=NOTE)
    def post(self, data, issue_id):
        """Add a note to a billing issue"""
        issue = billing_record(get_issue, issue_id, action="update", resource_type=RESOURCE)
        note = add_note(request_session(), issue, data.get("note") or data["body"], actor())
        if "body" in data:
            return note, 201, DEPRECATED_BODY
        return note


# RFC 9745: the request used a deprecated field; `note` is its name now.
DEPRECATED_BODY = {"Deprecation": "@1796083200",
                   "Link": '</openapi.json>; rel="deprecation"; type="application/json"',
                   "Warning": '299 - "body is deprecated: send the note as note"'}


def register(api) -> None:
    api.register_blueprint(blp)
