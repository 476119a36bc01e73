"""Asks the payer about the prior authorizations and claims it has not
decided yet, and acts on its decisions (approved, pended, denied, paid...)."""
from __future__ import annotations

from carebridge.jobs import PeriodicJob, row_by_row
from carebridge.service import Runtime

from ..persistence.due import next_claim_to_ask_about, next_prior_auth_to_ask_about
from ..service_layer.claim_status import refresh_claim
from ..service_layer.prior_auth_payer import refresh_prior_auth


def ask_about_prior_auth(session, prior_auth) -> None:
    runtime = Runtime.of(session)
    refresh_prior_auth(session, prior_auth, runtime.dependencies.payer, runtime.service_settings)


def ask_about_claim(session, claim) -> None:
    runtime = Runtime.of(session)
    refresh_claim(session, claim, runtime.dependencies.payer, runtime.service_settings)


PAYER_STATUS = PeriodicJob("payer-status", every=60, run=row_by_row(
    [(next_prior_auth_to_ask_about, ask_about_prior_auth), (next_claim_to_ask_about, ask_about_claim)],
    done="asked the payer about pending submissions"))
