"""Sends what is due to the payer: new prior-authorization requests, draft
claims whose review hold has passed, and submissions the payer did not take
earlier (retried with growing pauses)."""
from __future__ import annotations

from carebridge import clock
from carebridge.service import PeriodicJob

from ..persistence.due import next_claim_to_send, next_prior_auth_to_send
from ..service_layer.claim_submission import send_claim
from ..service_layer.common import SYSTEM
from ..service_layer.prior_auth_payer import send_prior_auth
from .sweep import sweep_steps

NAME = "payer-submissions"


def send_due_submissions(runtime) -> int:
    adapter, settings = runtime.dependencies.payer, runtime.service_settings
    return sweep_steps(runtime, NAME, [
        (lambda session, skip: next_prior_auth_to_send(session, clock.now(), skip),
         lambda session, prior_auth: send_prior_auth(session, prior_auth, adapter, settings)),
        (lambda session, skip: next_claim_to_send(session, clock.now(), skip),
         lambda session, claim: send_claim(session, claim, adapter, settings, SYSTEM)),
    ], "sent submissions to the payer")


JOB = PeriodicJob(NAME, every=15, run=send_due_submissions)
