"""Asks the payer about the prior authorizations and claims it has not
decided yet, and acts on its decisions (approved, pended, denied, paid...)."""
from __future__ import annotations

from carebridge import clock
from carebridge.service import PeriodicJob

from ..persistence.due import next_claim_to_ask_about, next_prior_auth_to_ask_about
from ..service_layer.claim_status import refresh_claim
from ..service_layer.prior_auth_payer import refresh_prior_auth
from .sweep import sweep_steps

NAME = "payer-status"


def ask_payer_for_news(runtime) -> int:
    adapter, settings = runtime.dependencies.payer, runtime.service_settings
    return sweep_steps(runtime, NAME, [
        (lambda session, skip: next_prior_auth_to_ask_about(session, clock.now(), skip),
         lambda session, prior_auth: refresh_prior_auth(session, prior_auth, adapter, settings)),
        (lambda session, skip: next_claim_to_ask_about(session, clock.now(), skip),
         lambda session, claim: refresh_claim(session, claim, adapter, settings)),
    ], "asked the payer about pending submissions")


JOB = PeriodicJob(NAME, every=60, run=ask_payer_for_news)
