"""A practitioner's own inbox: /inbox (the token's subject is their directory id)."""
import json
import time

from flask import Response, request
from flask.views import MethodView

from carebridge import audit
from carebridge.auth.roles import STAFF_ROLES
from carebridge.errors import ForbiddenError
from carebridge.web import (Blueprint, current_principal, current_runtime, deny, page_of, paged, patient_scoped,
                            request_session, require_roles)

from ..service_layer import inbox
from ..service_layer.inbox_stream import InboxCursor
from .schemas.notifications import InboxArgs, InboxItemSchema, UnreadCountSchema

blp = Blueprint("inbox", __name__, url_prefix="/inbox",
                description="Your own notifications: list, unread count, mark read, acknowledge")


def _me():
    practitioner_id = current_principal().practitioner_id
    if practitioner_id is None:
        raise ForbiddenError("Only staff with a directory id have an inbox.")
    return practitioner_id


def _own(notification_id, action: str):
    """The caller's own notification; anybody else's is refused (and the
    refusal audited) without saying whose it is."""
    session = request_session()
    notification = inbox.find(session, notification_id)
    if not inbox.is_addressed_to(notification, current_principal().practitioner_id):
        deny(action=action, resource_type="notification", resource_id=notification.id,
             patient_id=notification.patient_id)
    audit.record(session, action=action, resource_type="notification", resource_id=notification.id,
                 patient_id=notification.patient_id)
    return notification


@blp.route("")
class Inbox(MethodView):
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="listInboxItems")
    @blp.arguments(InboxArgs, location="query")
    @blp.response(200, paged(InboxItemSchema))
    def get(self, args):
        """List my notifications

        Newest first."""
        session = request_session()
        me = _me()
        audit.record_search(session, resource_type="inbox", resource_id=me)
        return page_of(session, inbox.inbox_of(me, unread_only=args["unread_only"],
                                               urgent_only=args["urgent_only"]), args)


STREAM_EXAMPLE = ('retry: 2000\n\n'
                  'event: inbox-item\nid: 6f1c2f0e-4b7a-4d0b-9a55-2b8f3f1f6a10\n'
                  'data: {"id": "6f1c2f0e-4b7a-4d0b-9a55-2b8f3f1f6a10", "title": "Missed appointment", ...}\n\n')


@blp.route("/stream")
class InboxStream(MethodView):
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="streamInboxItems", responses={200: {
        "description": "Server-sent events: one `inbox-item` event per new notification (its `data` an inbox "
                       "item, its `id` the notification id), a comment now and then while quiet.",
        "content": {"text/event-stream": {"schema": {"type": "string"}, "example": STREAM_EXAMPLE}}}})
    def get(self):
        """Stream my new notifications

        Server-sent events: each notification that reaches my inbox after the
        stream opens (or after `Last-Event-ID`, when an EventSource
        reconnects) is sent as an `inbox-item` event within a second. Audited
        like listing the inbox. The stream ends after
        NOTIFICATIONS_INBOX_STREAM_MAX_SECONDS; the client reconnects."""
        session = request_session()
        me = _me()
        principal = current_principal()
        audit.record_search(session, resource_type="inbox", resource_id=me)
        cursor = InboxCursor(me)
        cursor.start(session, request.headers.get("Last-Event-ID"))
        runtime = current_runtime()
        return Response(_events(runtime, cursor, principal), mimetype="text/event-stream",
                        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _events(runtime, cursor: InboxCursor, principal):
    """The stream itself: runs after the request's own transaction, with a
    short session of its own for each look."""
    settings = runtime.service_settings
    schema = InboxItemSchema()
    opened = last_sent = time.monotonic()
    yield "retry: 2000\n\n"
    while time.monotonic() - opened < settings.inbox_stream_max_seconds:
        with runtime.db.sessions() as session, session.begin():
            items = cursor.fresh(session)
            if items:
                audit.record_search(session, resource_type="inbox", resource_id=cursor.practitioner_id,
                                    principal=principal)
                audit.disclosed(session, [n.patient_id for n in items])
            payload = "".join(f"event: inbox-item\nid: {n.id}\ndata: {json.dumps(schema.dump(n))}\n\n"
                              for n in items)
        if payload:
            last_sent = time.monotonic()
            yield payload
        elif time.monotonic() - last_sent >= settings.inbox_stream_keepalive_seconds:
            last_sent = time.monotonic()
            yield ": keep-alive\n\n"
        time.sleep(settings.inbox_stream_poll_seconds)


@blp.route("/unread-count")
class UnreadCount(MethodView):
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="countUnreadInboxItems")
    @blp.response(200, UnreadCountSchema)
    def get(self):
        """Count my unread notifications

        And how many urgent ones wait for acknowledgement."""
        return inbox.unread_counts(request_session(), _me())


@blp.route("/<uuid:notification_id>")
class InboxItem(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="getInboxItem")
    @blp.response(200, InboxItemSchema)
    def get(self, notification_id):
        """Read one of my notifications"""
        return _own(notification_id, "read")


@blp.route("/<uuid:notification_id>/read")
class MarkRead(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="markInboxItemRead")
    @blp.response(200, InboxItemSchema)
    def post(self, notification_id):
        """Mark one of my notifications read

        Doing it again is harmless."""
        return inbox.mark_read(_own(notification_id, "update"))


@blp.route("/<uuid:notification_id>/acknowledge")
class Acknowledge(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="acknowledgeInboxItem")
    @blp.response(200, InboxItemSchema)
    def post(self, notification_id):
        """Acknowledge one of my notifications

        For an urgent one this stops its escalation."""
        notification = _own(notification_id, "update")
        return inbox.acknowledge(request_session(), notification, by=current_principal().subject)
