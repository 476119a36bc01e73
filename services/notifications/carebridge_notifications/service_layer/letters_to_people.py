"""Email and SMS to patients and family, decided and worded at the moment
of sending.

A message may wait hours in the queue (quiet hours, retries) or be sent
again by an operator: consent and opt-out are looked up again just before
each attempt, from the directory as it is now, and a message the person may
no longer receive is cancelled instead. What goes out is the letter for the
message (`domain/letters.py`) in the person's language and time zone, with
a fresh signed link to the secure message page.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from carebridge import clock

from ..domain.channel_choice import Reachability
from ..domain.letters import FULL, PRIVATE, has_letter, letter_name, render_letter
from ..domain.routing import Target
from ..domain.secure_links import make_token
from ..domain.vocabulary import PATIENT, RELATED_PERSON, SMS, audience_kind
from ..persistence.directory import Directory
from ..persistence.notifications import Notification
from ..persistence.preferences import Preference
from ..settings import NotificationSettings
from .reachability import reachability_of

log = logging.getLogger(__name__)

PEOPLE = (PATIENT, RELATED_PERSON)


@dataclass(frozen=True)
class MayTell:
    person: Reachability | None
    reason: str | None  # why not, when person is None

    def __bool__(self) -> bool:
        return self.person is not None


def may_still_tell(session: Session, notification: Notification) -> MayTell:
    """Whether the patient or relative may receive this message now: the
    relative still consents to its category, nobody opted out since."""
    directory = Directory(session, patient_id=notification.patient_id, care_team_id=None, at=clock.now())
    if notification.recipient_type == RELATED_PERSON:
        relative = next((r for r in directory.related_persons if r.related_person_id == notification.recipient_id),
                        None)
        if relative is None or not relative.consents_to(notification.category):
            return MayTell(None, "consent-withdrawn")
    target = Target(notification.recipient_type, notification.recipient_id, notification.template,
                    notification.urgency)
    person = reachability_of(directory, [target])[(target.recipient_type, target.recipient_id)]
    if person is None:
        return MayTell(None, "recipient-unavailable")
    if person.opted_out:
        return MayTell(None, "opted-out")
    return MayTell(person, None)


def message_link(config: NotificationSettings, notification: Notification) -> str:
    token = make_token(config.message_link_secret, notification_id=notification.id,
                       recipient_type=notification.recipient_type, recipient_id=notification.recipient_id,
                       now=clock.now(), days=config.message_link_days)
    return f"{config.message_page_url.rstrip('/')}/{token}"


def facts_of(notification: Notification) -> dict | None:
    return (notification.payload or {}).get("facts")


@dataclass(frozen=True)
class LetterOrder:
    """Everything a letter is written from except what is fetched from the
    other services at sending time, outside any transaction (the name of the
    place and of the practitioner: they are not in events)."""
    template: str
    audience: str
    language: str
    facts: dict
    time_zone: str
    link: str
    detail: str
    link_days: int

    @property
    def wants_details(self) -> bool:
        return self.detail == FULL and bool(self.facts.get("location_id") or self.facts.get("practitioner_id")
                                            or wants_join_link(self.facts))

    @property
    def letter_name(self) -> str:
        return letter_name(self.template, self.detail)

    def write(self, details: dict | None = None):
        return render_letter(self.template, self.audience, self.language, {**self.facts, **(details or {})},
                             self.time_zone, self.link, detail=self.detail, link_days=self.link_days)


def letter_for(session: Session, notification: Notification, person: Reachability, channel: str,
               config: NotificationSettings) -> LetterOrder:
    """What to write to `person` for this notification on `channel`."""
    preference = session.get(Preference, (notification.recipient_type, notification.recipient_id))
    detail = (preference.message_detail if preference is not None else None) or (PRIVATE if channel == SMS
                                                                                    else FULL)
    facts = facts_of(notification)
    if facts is None or not has_letter(notification.template):
        detail = PRIVATE
    return LetterOrder(notification.template, audience_kind(notification.recipient_type), person.language,
                       facts or {}, person.time_zone, message_link(config, notification), detail,
                       config.message_link_days)


# A visit still to come or going on: its video link still admits the patient.
_VISIT_ONGOING = ("pending", "booked", "arrived", "checked-in")


def wants_join_link(facts: dict) -> bool:
    return bool(facts.get("telehealth") and facts.get("appointment_id"))


def _join_link(body: dict) -> dict:
    link = body.get("telehealth_join_url")
    return {"join_url": link} if link and body.get("status") in _VISIT_ONGOING else {}


def _join_link_lookup(runtime, facts: dict) -> tuple:
    return ("scheduling", facts.get("appointment_id") if wants_join_link(facts) else None,
            lambda: runtime.client("scheduling").get(f"/appointments/{facts['appointment_id']}"), _join_link)


def join_link(runtime, facts: dict) -> dict:
    """A telehealth visit's video link (`join_url`), asked of scheduling as
    this service when the letter or the page is written: the link admits
    whoever holds it, so it is never in an event, a stored row or a log.
    Empty when the visit is no longer ahead or scheduling does not answer."""
    return _looked_up((_join_link_lookup(runtime, facts),))


def visit_details(runtime, facts: dict) -> dict:
    """The place's and the practitioner's names, asked of scheduling and
    patients as this service (`@allow_services("notifications")` there),
    and a telehealth visit's video link (`join_link`).
    Names are not in events; a service that does not answer leaves the
    letter with the kind of place only, never holds it back."""
    lookups = (
        ("scheduling", facts.get("location_id"),
         lambda: runtime.client("scheduling").get(f"/locations/{facts['location_id']}"),
         lambda body: {"place_name": body["name"]}),
        ("patients", facts.get("practitioner_id"),
         lambda: runtime.client("patients").get(f"/practitioners/{facts['practitioner_id']}"),
         lambda body: {"practitioner_name": f"{body['given_name']} {body['family_name']}"}),
        _join_link_lookup(runtime, facts),
    )
    return _looked_up(lookups)


def _looked_up(lookups) -> dict:
    details = {}
    for service, wanted, ask, read in lookups:
        if not wanted:
            continue
        try:
            response = ask()
            if response.status_code == 200:
                details.update(read(response.json()))
                continue
            reason = f"status {response.status_code}"
        except Exception as error:  # noqa: BLE001 - any failure only leaves the name out
            reason = type(error).__name__
        log.warning("a visit detail could not be fetched; the letter goes without it",
                    extra={"service": service, "reason": reason})
    return details
