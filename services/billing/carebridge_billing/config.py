"""The billing service's own settings (environment variables with the
`BILLING_` prefix; every one has a working default).

    BILLING_PAYER_ADAPTER              simulated (the built-in simulated payer)
    BILLING_CLAIM_HOLD_MINUTES         60: how long a new draft claim waits for review
                                       before the submission job sends it
    BILLING_PAYER_POLL_MINUTES         30: how often to ask the payer about a claim or
                                       prior authorization it has not decided yet
    BILLING_PRIOR_AUTH_WARNING_DAYS    14,3: warn this many days before an authorization
                                       with unused units expires (once per threshold)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from carebridge.config import ConfigurationError


@dataclass(frozen=True)
class BillingSettings:
    claim_hold: timedelta
    payer_poll_interval: timedelta
    prior_auth_warning_days: tuple[int, ...]

    @classmethod
    def of(cls, runtime) -> "BillingSettings":
        settings = runtime.settings
        try:
            hold = float(settings.get("CLAIM_HOLD_MINUTES", "60"))
            poll = float(settings.get("PAYER_POLL_MINUTES", "30"))
            warnings = tuple(sorted({int(part) for part in settings.get("PRIOR_AUTH_WARNING_DAYS", "14,3").split(",")
                                     if part.strip()}, reverse=True))
        except ValueError as error:
            raise ConfigurationError(f"a BILLING_ setting is not a number: {error}") from None
        if hold < 0 or poll <= 0 or any(days < 0 for days in warnings):
            raise ConfigurationError("BILLING_CLAIM_HOLD_MINUTES, BILLING_PAYER_POLL_MINUTES and "
                                     "BILLING_PRIOR_AUTH_WARNING_DAYS must not be negative")
        return cls(claim_hold=timedelta(minutes=hold), payer_poll_interval=timedelta(minutes=poll),
                   prior_auth_warning_days=warnings)
