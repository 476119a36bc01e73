"""The notifications service's own settings, declared once.

Each is read as NOTIFICATIONS_<NAME> (the form the embedded dev stack needs,
every service sharing one environment) or plain <NAME> (real mode, one
service per process), when the runtime is built; `carebridge settings`
lists them. Reached as `runtime.service_settings`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from carebridge.config import ConfigurationError, Settings, list_of, optional, parse_bool, setting

from .domain.retry_policy import RetryPolicy

AUTO = "auto"
# Signs message links outside production only; production refuses it.
DEV_LINK_SECRET = "development-only-message-link-secret-not-for-production"


@dataclass(frozen=True)
class NotificationSettings:
    email_backend: str = setting(AUTO, "How email leaves: smtp, file (a Maildir under the data folder), or auto: "
                                       "smtp when SMTP_HOST is set or in production, else file.",
                                 choices=(AUTO, "smtp", "file"))
    smtp_host: str = setting("", "Mail server; setting it chooses smtp under EMAIL_BACKEND=auto. "
                                 "Default: localhost.")
    smtp_port: int = setting(25, "Mail server port.", minimum=1)
    smtp_from: str = setting("carebridge@localhost", "Sender address of every email.")
    smtp_username: str | None = setting(None, "Login at the mail server, if it wants one.", parse=optional(str))
    smtp_password: str | None = setting(None, "Password of that login.", parse=optional(str), secret=True)
    smtp_starttls: bool = setting(False, "Upgrade the mail server connection with STARTTLS.")
    smtp_timeout: float = setting(10.0, "Seconds to wait for the mail server.", minimum=0.1)
    email_dir: Path | None = setting(None, "Maildir of the file email backend. Default: "
                                           "<data folder>/notifications/mail.", parse=optional(Path))
    sms_backend: str = setting(AUTO, "How SMS leave: http (an SMS gateway), file (JSON lines under the data "
                                     "folder), or auto: http when SMS_GATEWAY_URL is set or in production, else file.",
                               choices=(AUTO, "http", "file"))
    sms_gateway_url: str | None = setting(None, "The SMS gateway (needed by SMS_BACKEND=http).", parse=optional(str))
    sms_gateway_token: str | None = setting(None, "Bearer token for the SMS gateway.", parse=optional(str),
                                            secret=True)
    sms_from: str | None = setting(None, "Sender id of every SMS.", parse=optional(str))
    sms_dir: Path | None = setting(None, "Folder of the file SMS backend. Default: <data folder>/notifications/sms.",
                                   parse=optional(Path))
    webhook_timeout: float = setting(5.0, "Seconds per webhook call.", minimum=0.1)
    webhook_require_https: bool | None = setting(None, "Refuse plain-http webhook subscription URLs. Default: "
                                                       "true in production, else false.",
                                                 parse=optional(parse_bool))
    webhook_check_targets: bool | None = setting(None, "Refuse webhook URLs whose host resolves to a loopback, "
                                                       "private, link-local (cloud metadata) or otherwise internal "
                                                       "address, at subscription and again at each delivery. "
                                                       "Default: true in production, else false.",
                                                 parse=optional(parse_bool))
    webhook_allowed_hosts: tuple[str, ...] = setting((), "Webhook hosts (names, or networks such as "
                                                         "10.20.0.0/16) allowed although internal.",
                                                   parse=list_of(str))
    webhook_subscriptions_cache_seconds: float = setting(5.0, "How long the fan-out reuses the list of active "
                                                              "webhook subscriptions.", minimum=0)
    portal_url: str = setting("http://127.0.0.1:8005/portal", "Where patients and family read their messages.")
    staff_inbox_url: str = setting("http://127.0.0.1:8005/inbox", "Where staff read theirs.")
    inbox_stream_poll_seconds: float = setting(0.5, "How often a live inbox stream looks for new items.",
                                               minimum=0.05)
    inbox_stream_max_seconds: float = setting(300.0, "How long one live inbox stream stays open before it "
                                                     "ends (the client reconnects, and its token is checked "
                                                     "again).", minimum=1)
    inbox_stream_keepalive_seconds: float = setting(15.0, "Pause after which a quiet stream sends a comment, "
                                                          "so proxies keep it open.", minimum=1)
    message_page_url: str = setting("http://127.0.0.1:8005/messages", "Public address of the secure message page "
                                                                     "that patients and family open from a link.")
    message_link_secret: str = setting(DEV_LINK_SECRET, "Key that signs the links to the secure message page "
                                                        "(HMAC-SHA256; at least 32 characters; required in "
                                                        "production).", secret=True)
    message_link_days: int = setting(7, "Days a link to the secure message page keeps working.", minimum=1)
    message_page_limit_per_link: int = setting(30, "Openings and answers one link may make per hour.", minimum=1)
    message_page_limit_per_address: int = setting(120, "Openings and answers one network address may make "
                                                       "per hour.", minimum=1)
    escalation_after_minutes: int = setting(15, "How long an urgent notification may stay unacknowledged before "
                                                "the next person hears.", minimum=1)
    on_call_nurse_id: uuid.UUID | None = setting(None, "Who is on call when the duty rota (/recipients/duty-shifts) "
                                                       "has nobody on call: the fallback of the escalation's "
                                                       "on-call step.", parse=optional(uuid.UUID))
    delivery_max_attempts: int = setting(5, "Attempts before a delivery fails for good.", minimum=1)
    delivery_retry_base_seconds: float = setting(30.0, "First pause after a failed attempt (doubling after).",
                                                 minimum=0)
    delivery_retry_max_seconds: float = setting(3600.0, "Longest pause between attempts.", minimum=0)
    delivery_lease_seconds: float = setting(120.0, "How long a sender holds a delivery before another may take "
                                                   "it over.", minimum=1)
    delivery_batch_size: int = setting(50, "Deliveries a sender claims at once.", minimum=1)

    def resolve(self, kit: Settings) -> "NotificationSettings":
        """The backends and folders that follow from the other settings, and
        the refusal of what cannot work (or is unsafe in production)."""
        production = kit.is_production
        # Without a mail server or SMS gateway configured, outside
        # production, messages go to files in the data folder: the dev stack
        # runs with nothing else installed and never piles up failures.
        email_backend = self.email_backend
        if email_backend == AUTO:
            email_backend = "smtp" if self.smtp_host or production else "file"
        sms_backend = self.sms_backend
        if sms_backend == AUTO:
            sms_backend = "http" if self.sms_gateway_url or production else "file"
        if sms_backend == "http" and not self.sms_gateway_url:
            raise ConfigurationError("SMS_BACKEND=http needs SMS_GATEWAY_URL")
        if production and "file" in (email_backend, sms_backend):
            raise ConfigurationError("file email/SMS backends are for development; configure SMTP and an SMS gateway")
        if production and self.message_link_secret == DEV_LINK_SECRET:
            raise ConfigurationError("MESSAGE_LINK_SECRET must be set in production")
        if len(self.message_link_secret) < 32:
            raise ConfigurationError("MESSAGE_LINK_SECRET must be at least 32 characters")
        outbox_dir = Path(kit.data_dir) / "notifications"
        return replace(
            self, email_backend=email_backend, sms_backend=sms_backend, smtp_host=self.smtp_host or "localhost",
            email_dir=self.email_dir or outbox_dir / "mail", sms_dir=self.sms_dir or outbox_dir / "sms",
            webhook_require_https=production if self.webhook_require_https is None else self.webhook_require_https,
            webhook_check_targets=production if self.webhook_check_targets is None else self.webhook_check_targets)

    @property
    def links(self) -> dict[str, str]:
        return {"portal_url": self.portal_url, "inbox_url": self.staff_inbox_url}

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(max_attempts=self.delivery_max_attempts, base_seconds=self.delivery_retry_base_seconds,
                           max_seconds=self.delivery_retry_max_seconds)
