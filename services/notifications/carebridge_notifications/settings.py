"""The notifications service's own settings, from environment variables.

Each is read as NOTIFICATIONS_<NAME> (the form the embedded dev stack needs,
five services sharing one environment) or plain <NAME> (real mode, one
service per process). Read once per runtime.

| name | meaning | default |
|---|---|---|
| EMAIL_BACKEND | `smtp`, or `file` (a Maildir under the data folder) | `smtp` with SMTP_HOST or in production, else `file` |
| SMTP_HOST, SMTP_PORT | mail server | localhost, 25 |
| SMTP_FROM | sender address | carebridge@localhost |
| SMTP_USERNAME, SMTP_PASSWORD | login, if the server wants one | none |
| SMTP_STARTTLS | upgrade the connection with STARTTLS | false |
| SMTP_TIMEOUT | seconds | 10 |
| SMS_BACKEND | `http` (an SMS gateway), or `file` (JSON lines under the data folder) | `http` with SMS_GATEWAY_URL or in production, else `file` |
| SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN, SMS_FROM | the gateway, its bearer token, the sender id | none |
| WEBHOOK_TIMEOUT | seconds per webhook call | 5 |
| WEBHOOK_REQUIRE_HTTPS | refuse plain-http subscription URLs | true in production |
| WEBHOOK_SUBSCRIPTIONS_CACHE_SECONDS | how long the fan-out reuses the list of active subscriptions | 5 |
| PORTAL_URL | where patients and family read their messages | http://127.0.0.1:8005/portal |
| STAFF_INBOX_URL | where staff read theirs | http://127.0.0.1:8005/inbox |
| ESCALATION_AFTER_MINUTES | how long an urgent notification may stay unacknowledged | 15 |
| ON_CALL_NURSE_ID | the practitioner at the end of every escalation chain | the team's nurses |
| DELIVERY_MAX_ATTEMPTS | attempts before a delivery fails for good | 5 |
| DELIVERY_RETRY_BASE_SECONDS, DELIVERY_RETRY_MAX_SECONDS | backoff between attempts (doubling) | 30, 3600 |
| DELIVERY_LEASE_SECONDS | how long a sender holds a delivery before another may take it over | 120 |
| DELIVERY_BATCH_SIZE | deliveries claimed at once | 50 |
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from carebridge.config import ConfigurationError, Settings

from .domain.retry_policy import RetryPolicy
from .runtime_cache import per_runtime


def _reader(settings: Settings):
    def read(name: str, default: str | None = None) -> str | None:
        # NOTIFICATIONS_<NAME>, else <NAME> (Settings.get), else the default.
        value = settings.get(name)
        return default if value in (None, "") else value
    return read


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _number(read, name: str, default: str, kind=float, minimum: float = 0):
    raw = read(name, default)
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, not {raw!r}") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}")
    return value


@dataclass(frozen=True)
class NotificationSettings:
    email_backend: str
    smtp_host: str
    smtp_port: int
    smtp_from: str
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    smtp_timeout: float
    email_dir: Path
    sms_backend: str
    sms_gateway_url: str | None
    sms_gateway_token: str | None
    sms_from: str | None
    sms_dir: Path
    webhook_timeout: float
    webhook_require_https: bool
    webhook_cache_seconds: float
    portal_url: str
    staff_inbox_url: str
    escalation_after_minutes: int
    on_call_nurse_id: uuid.UUID | None
    retry: RetryPolicy
    lease_seconds: float
    batch_size: int

    @property
    def links(self) -> dict[str, str]:
        return {"portal_url": self.portal_url, "inbox_url": self.staff_inbox_url}

    @classmethod
    def from_settings(cls, settings: Settings) -> "NotificationSettings":
        read = _reader(settings)
        production = settings.is_production
        smtp_host = read("SMTP_HOST")
        gateway = read("SMS_GATEWAY_URL")
        # Without a mail server or SMS gateway configured, outside
        # production, messages go to files in the data folder: the dev stack
        # runs with nothing else installed and never piles up failures.
        email_backend = read("EMAIL_BACKEND", "smtp" if smtp_host or production else "file")
        sms_backend = read("SMS_BACKEND", "http" if gateway or production else "file")
        if email_backend not in ("smtp", "file"):
            raise ConfigurationError("EMAIL_BACKEND must be smtp or file")
        if sms_backend not in ("http", "file"):
            raise ConfigurationError("SMS_BACKEND must be http or file")
        if sms_backend == "http" and not gateway:
            raise ConfigurationError("SMS_BACKEND=http needs SMS_GATEWAY_URL")
        if production and "file" in (email_backend, sms_backend):
            raise ConfigurationError("file email/SMS backends are for development; configure SMTP and an SMS gateway")
        on_call = read("ON_CALL_NURSE_ID")
        try:
            on_call_nurse_id = uuid.UUID(on_call) if on_call else None
        except ValueError:
            raise ConfigurationError("ON_CALL_NURSE_ID must be a practitioner id (UUID)") from None
        outbox_dir = Path(settings.data_dir) / "notifications"
        return cls(
            email_backend=email_backend,
            smtp_host=smtp_host or "localhost",
            smtp_port=_number(read, "SMTP_PORT", "25", int, 1),
            smtp_from=read("SMTP_FROM", "carebridge@localhost"),
            smtp_username=read("SMTP_USERNAME"),
            smtp_password=read("SMTP_PASSWORD"),
            smtp_starttls=_bool(read("SMTP_STARTTLS")),
            smtp_timeout=_number(read, "SMTP_TIMEOUT", "10", float, 0.1),
            email_dir=Path(read("EMAIL_DIR", str(outbox_dir / "mail"))),
            sms_backend=sms_backend,
            sms_gateway_url=gateway,
            sms_gateway_token=read("SMS_GATEWAY_TOKEN"),
            sms_from=read("SMS_FROM"),
            sms_dir=Path(read("SMS_DIR", str(outbox_dir / "sms"))),
            webhook_timeout=_number(read, "WEBHOOK_TIMEOUT", "5", float, 0.1),
            webhook_require_https=_bool(read("WEBHOOK_REQUIRE_HTTPS", "true" if settings.is_production else "false")),
            webhook_cache_seconds=_number(read, "WEBHOOK_SUBSCRIPTIONS_CACHE_SECONDS", "5"),
            portal_url=read("PORTAL_URL", "http://127.0.0.1:8005/portal"),
            staff_inbox_url=read("STAFF_INBOX_URL", "http://127.0.0.1:8005/inbox"),
            escalation_after_minutes=_number(read, "ESCALATION_AFTER_MINUTES", "15", int, 1),
            on_call_nurse_id=on_call_nurse_id,
            retry=RetryPolicy(max_attempts=_number(read, "DELIVERY_MAX_ATTEMPTS", "5", int, 1),
                              base_seconds=_number(read, "DELIVERY_RETRY_BASE_SECONDS", "30"),
                              max_seconds=_number(read, "DELIVERY_RETRY_MAX_SECONDS", "3600")),
            lease_seconds=_number(read, "DELIVERY_LEASE_SECONDS", "120", float, 1),
            batch_size=_number(read, "DELIVERY_BATCH_SIZE", "50", int, 1),
        )


@per_runtime
def notification_settings(runtime) -> NotificationSettings:
    return NotificationSettings.from_settings(runtime.settings)
