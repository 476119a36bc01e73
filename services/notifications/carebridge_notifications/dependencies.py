"""The notifications service's long-lived collaborators, one set per runtime
(`runtime.dependencies`): built on first use from the runtime's settings and
kept while it lives. Tests replace one by assigning it."""
from __future__ import annotations

from functools import cached_property

from .channels.senders import build_senders
from .channels.webhook_targets_check import TargetRule
from .service_layer.webhook_targets import ActiveWebhookSubscriptions


class NotificationsDependencies:
    def __init__(self, runtime):
        self.runtime = runtime

    @cached_property
    def senders(self) -> dict:
        """The sender of each channel (email, SMS, webhook), as the settings choose them."""
        return build_senders(self.runtime.service_settings, self.webhook_target_rule)

    @cached_property
    def webhook_target_rule(self) -> TargetRule | None:
        """Where webhooks may not point (None: not checked, outside production)."""
        config = self.runtime.service_settings
        return TargetRule(config.webhook_allowed_hosts) if config.webhook_check_targets else None

    @cached_property
    def webhook_targets(self) -> ActiveWebhookSubscriptions:
        """The active webhook subscriptions, kept for a few seconds for the fan-out."""
        return ActiveWebhookSubscriptions(self.runtime.service_settings.webhook_subscriptions_cache_seconds)
