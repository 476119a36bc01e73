"""Sends what is due to the payer: new prior-authorization requests, draft
claims whose review hold has passed, and submissions the payer did not take
earlier (retried with growing pauses)."""
from __future__ import annotations

from carebridge.jobs import PeriodicJob, row_by_row
from carebridge.service import Runtime

from ..persistence.due import next_claim_to_send, next_prior_auth_to_send
from ..service_layer.claim_submission import send_claim
from ..service_layer.common import SYSTEM
from ..service_layer.prior_auth_payer import send_prior_auth


def send_requested_prior_auth(session, prior_auth) -> None:
    runtime = Runtime.of(session)
    send_prior_auth(session, prior_auth, runtime.dependencies.payer, runtime.service_settings)


def send_held_claim(session, claim) -> None:
    runtime = Runtime.of(session)
    send_claim(session, claim, runtime.dependencies.payer, runtime.service_settings, SYSTEM)


PAYER_SUBMISSIONS = PeriodicJob("payer-submissions", every=15, run=row_by_row(
    [(next_prior_auth_to_send, send_requested_prior_auth), (next_claim_to_send, send_held_claim)],
    done="sent submissions to the payer"))
