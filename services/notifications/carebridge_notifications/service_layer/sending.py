"""One pass of the sender: claim what is due, send each, record each.

Whatever goes wrong with one delivery (its letter does not render, its
adapter raises) is that delivery's outcome: it never stops the pass, so
one bad message cannot hold back everyone else's."""
from __future__ import annotations

import logging

from carebridge import clock

from ..channels.outcome import Outcome, OutgoingMessage
from .delivery_queue import ClaimedDelivery, claim_due, letter_message, not_written_reason, record_outcome
from .letters_to_people import visit_details, wants_join_link

log = logging.getLogger(__name__)


def send_due(runtime, senders: dict) -> int:
    """Send every delivery that is due; returns how many were claimed."""
    config = runtime.service_settings
    attempted = 0
    details: dict[tuple, dict] = {}
    while True:
        with runtime.db.transaction() as session:
            claimed = claim_due(session, now=clock.now(), config=config)
        for item in claimed:
            if clock.now() >= item.lease_until:
                # A slow batch outlived this lease: another sender may hold
                # the delivery now, so it is left to whoever claims it next.
                continue
            outcome = _attempt(runtime, senders, item, details)
            with runtime.db.transaction() as session:
                record_outcome(session, item, outcome, now=clock.now(), config=config)
        attempted += len(claimed)
        if len(claimed) < config.delivery_batch_size:
            return attempted


def _attempt(runtime, senders: dict, item: ClaimedDelivery, details: dict[tuple, dict]) -> Outcome:
    if item.message is not None:
        message = item.message
    else:
        visit = _visit_details(runtime, item, details)
        try:
            message = letter_message(item.delivery_id, item.channel, item.address, item.letter, visit)
        except Exception as error:  # noqa: BLE001 - any render failure is this letter's alone
            # The same template and facts fail the same way on every
            # attempt: retrying would only delay the person who must follow
            # up. The exception's message may quote the facts, so only its
            # class is logged.
            log.error("letter %s could not be written; the delivery fails for good", item.letter.letter_name,
                      extra={"delivery_id": str(item.delivery_id), "channel": item.channel,
                             "error_type": type(error).__name__})
            return Outcome.unsendable(not_written_reason(error))
    return _send(senders, item, message)


def _visit_details(runtime, item: ClaimedDelivery, details: dict[tuple, dict]) -> dict | None:
    """A visit's place, practitioner and video link, for a full letter that
    shows them; a visit's patient and family share them: asked once per pass."""
    if not item.letter.wants_details:
        return None
    facts = item.letter.facts
    key = (facts.get("location_id"), facts.get("practitioner_id"),
           facts.get("appointment_id") if wants_join_link(facts) else None)
    if key not in details:
        details[key] = visit_details(runtime, facts)
    return details[key]


def _send(senders: dict, item: ClaimedDelivery, message: OutgoingMessage) -> Outcome:
    try:
        return senders[item.channel].send(message)
    except Exception as error:  # an adapter bug must not stop the others
        log.exception("sender raised instead of reporting an outcome", extra={"channel": item.channel})
        return Outcome.retry(f"error-{type(error).__name__}")
