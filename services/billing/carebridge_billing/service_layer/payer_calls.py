"""Calling the payer adapter so that its failure degrades one answer only.

Any exception from an adapter (its own `PayerUnavailable`, a timeout, a bug
in a clearinghouse client) is caught here, logged by type only, and turned
into `PayerCallFailed` with a short, PHI-free description. Claims and prior
authorizations keep that description (`last_error`) and the time billing
deals with them next (`next_action_at`), so a failure stays visible and is
retried by the payer jobs.
"""
from __future__ import annotations

import logging
from typing import Callable, TypeVar

from carebridge import clock

from ..domain.retries import retry_delay
from ..payers import PayerUnavailable
from ..settings import BillingSettings

log = logging.getLogger(__name__)
T = TypeVar("T")


class PayerCallFailed(Exception):
    def __init__(self, description: str):
        super().__init__(description)
        self.description = description


def call_payer(what: str, call: Callable[[], T], **ids) -> T:
    try:
        return call()
    except PayerUnavailable as error:
        log.warning("the payer did not answer", extra={"reason": what, "error_type": type(error).__name__, **ids})
        raise PayerCallFailed("payer-unavailable") from None
    except Exception as error:
        log.exception("the payer adapter failed", extra={"reason": what, **ids})
        raise PayerCallFailed(f"adapter-error:{type(error).__name__}"[:120]) from None


def submit_to_payer(row, what: str, call: Callable[[], T], **ids) -> T | None:
    """One attempt to send a claim or request; None when the payer did not
    take it, which is then tried again after a growing pause."""
    row.submission_attempts += 1
    try:
        return call_payer(what, call, **ids)
    except PayerCallFailed as failure:
        row.last_error = failure.description
        row.next_action_at = clock.now() + retry_delay(row.submission_attempts)
        return None


def ask_payer(row, what: str, call: Callable[[], T], settings: BillingSettings, **ids) -> T | None:
    """Ask about a submission; None when the payer did not answer, which is
    asked again at the next poll."""
    try:
        answer = call_payer(what, call, **ids)
    except PayerCallFailed as failure:
        row.last_error = failure.description
        row.next_action_at = clock.now() + settings.payer_poll_interval
        return None
    row.last_error = None
    return answer


def await_decision(row, settings: BillingSettings) -> None:
    """The payer has it: ask again at the next poll."""
    row.last_error = None
    row.next_action_at = clock.now() + settings.payer_poll_interval
