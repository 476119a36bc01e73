"""The secure message page: a patient or relative opens a message from the
signed link in their email or SMS and answers it.

The link is the credential (`domain/secure_links.py`): it must be genuine,
unexpired and name the recipient of the message it names. Consent and
opt-out are checked again: a relative whose consent was withdrawn no longer
sees the message. Every opening and answer is audited under the recipient's
own identity, and counted per link and per network address for the rate
limits. An answer to a visit becomes `notifications.appointment-answered`,
which scheduling (a cancellation) and careplans (a request for another time)
act on.
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carebridge import audit, clock, outbox
from carebridge.auth import Principal
from carebridge.events.catalogue.notifications import APPOINTMENT_ANSWERS, CHECK_IN_FEELINGS
from carebridge.service import Runtime

from ..domain.letters import Letter, has_letter, render_letter
from ..domain.secure_links import BadLink, MessageLink, link_key, read_token
from ..domain.vocabulary import audience_kind
from ..persistence.message_page import MessageAnswer, MessagePageVisit
from ..persistence.notifications import Notification
from ..settings import NotificationSettings
from .letters_to_people import PEOPLE, facts_of, join_link, may_still_tell, wants_join_link
from .plan_summary_page import PLAN_SUMMARY_TEMPLATE, plan_summary

log = logging.getLogger(__name__)

# Messages about one visit that the person may answer (confirm, cancel, ask
# for another time): the visit is still ahead.
ANSWERABLE_TEMPLATES = ("appointment-reminder", "appointment-booked", "appointment-rescheduled")
# Messages that show one visit ahead: a video visit's page shows its join link.
VISIT_TEMPLATES = (*ANSWERABLE_TEMPLATES, "appointment-series-booked")
# A request to say how one feels (the form: better / same / worse, a comment).
CHECK_IN_TEMPLATE = "check-in-request"
COMMENT_MAX = 1000
RATE_WINDOW = timedelta(hours=1)


class NoLongerAvailable(Exception):
    """A genuine link to a message its recipient may not see any more."""


class AlreadyAnswered(Exception):
    def __init__(self, answer: MessageAnswer):
        super().__init__("this message was already answered")
        self.answer = answer


@dataclass(frozen=True)
class ShownMessage:
    notification: Notification
    letter: Letter
    answerable: bool
    answer: MessageAnswer | None
    # A sent plan summary: what careplans gives (None when it cannot now).
    plan_summary: dict | None = None
    shows_plan_summary: bool = False

    @property
    def asks_check_in(self) -> bool:
        return self.notification.template == CHECK_IN_TEMPLATE


def address_key(address: str | None) -> str:
    return hashlib.sha256((address or "unknown").encode("utf-8", "replace")).hexdigest()[:40]


def within_limits(session: Session, config: NotificationSettings, token: str, address: str | None) -> bool:
    """Count this visit; False when the link or the address used up its
    hourly allowance (the refused visit is not counted)."""
    now = clock.now()
    link, where = link_key(token), address_key(address)
    since = now - RATE_WINDOW
    by_link = session.scalar(select(func.count()).select_from(MessagePageVisit).where(
        MessagePageVisit.link_key == link, MessagePageVisit.at > since))
    by_address = session.scalar(select(func.count()).select_from(MessagePageVisit).where(
        MessagePageVisit.address_key == where, MessagePageVisit.at > since))
    if by_link >= config.message_page_limit_per_link or by_address >= config.message_page_limit_per_address:
        log.warning("message page rate limit reached", extra={"by_link": by_link, "by_address": by_address})
        return False
    session.add(MessagePageVisit(link_key=link, address_key=where, at=now))
    return True


def _recipient(link: MessageLink) -> Principal:
    return Principal(subject=f"{link.recipient_type}:{link.recipient_id}", roles=frozenset({link.recipient_type}))


def _load(session: Session, config: NotificationSettings, token: str):
    link = read_token(config.message_link_secret, token, now=clock.now())
    notification = session.get(Notification, link.notification_id)
    if notification is None or notification.recipient_type not in PEOPLE or (
            notification.recipient_type, notification.recipient_id) != (link.recipient_type, link.recipient_id):
        raise BadLink("no such message for this recipient")
    allowed = may_still_tell(session, notification)
    if not allowed:
        raise NoLongerAvailable(allowed.reason)
    return link, notification, allowed.person


def _answer_of(session: Session, notification: Notification) -> MessageAnswer | None:
    return session.scalar(select(MessageAnswer).where(MessageAnswer.notification_id == notification.id))


def _answerable(notification: Notification) -> bool:
    facts = facts_of(notification) or {}
    return notification.template in ANSWERABLE_TEMPLATES and bool(facts.get("appointment_id"))


def open_message(session: Session, config: NotificationSettings, token: str) -> ShownMessage:
    """The message as its recipient reads it (audited)."""
    link, notification, person = _load(session, config, token)
    facts = facts_of(notification)
    if facts is not None and has_letter(notification.template):
        # A video visit's link, asked of scheduling now (never stored): the
        # page shows it whatever detail the email had.
        details = (join_link(Runtime.of(session), facts)
                   if notification.template in VISIT_TEMPLATES and wants_join_link(facts) else {})
        letter = render_letter(notification.template, audience_kind(notification.recipient_type), person.language,
                               {**facts, **details}, person.time_zone, "", on_page=True)
    else:
        # Written before letters existed: the words of the inbox.
        letter = Letter(notification.title, notification.body, notification.language)
    audit.record(session, action="read", resource_type="message", resource_id=notification.id,
                 patient_id=notification.patient_id, principal=_recipient(link))
    if notification.read_at is None:
        notification.read_at = clock.now()
    summary, shows_summary = None, notification.template == PLAN_SUMMARY_TEMPLATE and facts is not None
    if shows_summary:
        summary = plan_summary(session, facts.get("plan_id"), person.language)
    return ShownMessage(notification, letter, _answerable(notification), _answer_of(session, notification),
                        summary, shows_summary)


def answer_appointment(session: Session, config: NotificationSettings, token: str, answer: str) -> MessageAnswer:
    """Record the person's answer about the visit and announce it."""
    if answer not in APPOINTMENT_ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    link, notification, _person = _load(session, config, token)
    if not _answerable(notification):
        raise NoLongerAvailable("not-answerable")
    earlier = _answer_of(session, notification)
    if earlier is not None:
        raise AlreadyAnswered(earlier)
    now = clock.now()
    facts = facts_of(notification)
    row = MessageAnswer(id=uuid.uuid4(), notification_id=notification.id, patient_id=notification.patient_id,
                        recipient_type=notification.recipient_type, recipient_id=notification.recipient_id,
                        answer=answer, appointment_id=uuid.UUID(str(facts["appointment_id"])), answered_at=now)
    session.add(row)
    session.flush()
    audit.record(session, action="create", resource_type="message-answer", resource_id=row.id,
                 patient_id=notification.patient_id, principal=_recipient(link))
    outbox.record(session, "notifications.appointment-answered", {
        "answer_id": row.id, "notification_id": notification.id, "appointment_id": row.appointment_id,
        "patient_id": notification.patient_id, "recipient_type": notification.recipient_type,
        "recipient_id": notification.recipient_id, "answer": answer, "answered_at": now})
    log.info("appointment answered on the message page", extra={
        "notification_id": str(notification.id), "answer": answer})
    return row


def answer_check_in(session: Session, config: NotificationSettings, token: str, feeling: str,
                    comment: str | None) -> MessageAnswer:
    """Record how the person feels (and their comment, kept here) and
    announce it without the comment."""
    if feeling not in CHECK_IN_FEELINGS:
        raise ValueError(f"unknown feeling {feeling!r}")
    comment = (comment or "").strip()[:COMMENT_MAX] or None
    link, notification, _person = _load(session, config, token)
    if notification.template != CHECK_IN_TEMPLATE:
        raise NoLongerAvailable("not-a-check-in")
    earlier = _answer_of(session, notification)
    if earlier is not None:
        raise AlreadyAnswered(earlier)
    now = clock.now()
    facts = facts_of(notification) or {}
    row = MessageAnswer(id=uuid.uuid4(), notification_id=notification.id, patient_id=notification.patient_id,
                        recipient_type=notification.recipient_type, recipient_id=notification.recipient_id,
                        answer=feeling, comment=comment, answered_at=now)
    session.add(row)
    session.flush()
    audit.record(session, action="create", resource_type="message-answer", resource_id=row.id,
                 patient_id=notification.patient_id, principal=_recipient(link))
    outbox.record(session, "notifications.check-in-answered", {
        "answer_id": row.id, "notification_id": notification.id, "patient_id": notification.patient_id,
        "task_id": facts.get("task_id"), "recipient_type": notification.recipient_type,
        "recipient_id": notification.recipient_id, "feeling": feeling, "has_comment": comment is not None,
        "answered_at": now})
    log.info("check-in answered on the message page", extra={"notification_id": str(notification.id),
                                                               "feeling": feeling})
    return row
