"""One pass of the sender: claim what is due, send each, record each."""
from __future__ import annotations

import logging

from carebridge import clock

from ..channels.outcome import Outcome
from .delivery_queue import claim_due, letter_message, record_outcome
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
            message = item.message
            if item.letter is not None and item.letter.wants_details:
                # A visit's patient and family share the place and the
                # practitioner: asked once per pass.
                facts = item.letter.facts
                key = (facts.get("location_id"), facts.get("practitioner_id"),
                       facts.get("appointment_id") if wants_join_link(facts) else None)
                if key not in details:
                    details[key] = visit_details(runtime, item.letter.facts)
                message = letter_message(item.delivery_id, item.channel, item.message.address, item.letter,
                                         details[key])
            try:
                outcome = senders[item.channel].send(message)
            except Exception as error:  # an adapter bug must not stop the others
                log.exception("sender raised instead of reporting an outcome", extra={"channel": item.channel})
                outcome = Outcome.retry(f"error-{type(error).__name__}")
            with runtime.db.transaction() as session:
                record_outcome(session, item, outcome, now=clock.now(), config=config)
        attempted += len(claimed)
        if len(claimed) < config.delivery_batch_size:
            return attempted
