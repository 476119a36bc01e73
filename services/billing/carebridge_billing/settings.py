"""The billing service's own settings, read and checked once when the
runtime is built (`runtime.service_settings`). Each is read from
`BILLING_<NAME>`, else `<NAME>`; `carebridge settings` lists them."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from carebridge.config import ConfigurationError, setting

from .payers.registry import ADAPTERS


@dataclass(frozen=True)
class BillingSettings:
    payer_adapter: str = setting("simulated", "Which payer adapter billing talks to.", choices=tuple(ADAPTERS))
    claim_hold_minutes: float = setting(60, "How long a new draft claim waits for staff review before the "
                                            "submission job sends it.", parse=float, minimum=0)
    payer_poll_minutes: float = setting(30, "How often to ask the payer about a claim or prior authorization "
                                            "it has not decided yet (more than 0).", parse=float, minimum=0)
    prior_auth_warning_days: tuple[int, ...] = setting((14, 3), "Days before an authorization with unused units "
                                                                "expires at which to warn (once per threshold).",
                                                       minimum=0)
    monitoring_month_close_hours: float = setting(
        24, "Hours after a calendar month has ended everywhere before its remote monitoring is charged "
            "(late readings from device gateways still count).", parse=float, minimum=0)

    def resolve(self, kit_settings) -> "BillingSettings":
        # minimum= lets 0 through; a poll interval of 0 would ask the payer
        # about the same submission on every run of the job.
        if self.payer_poll_minutes <= 0:
            raise ConfigurationError(f"PAYER_POLL_MINUTES must be more than 0, not {self.payer_poll_minutes}")
        # One warning per distinct threshold, widest first, in whatever order the variable lists them.
        return replace(self, prior_auth_warning_days=tuple(sorted(set(self.prior_auth_warning_days), reverse=True)))

    @property
    def claim_hold(self) -> timedelta:
        return timedelta(minutes=self.claim_hold_minutes)

    @property
    def payer_poll_interval(self) -> timedelta:
        return timedelta(minutes=self.payer_poll_minutes)
