"""The channel adapters on their own: the development senders write files
the developer can read, and the settings pick the right adapter."""
import json
import mailbox
import uuid

import pytest

from carebridge.config import ConfigurationError, Settings, load_service_settings
from carebridge_notifications.channels.email import MaildirEmailSender, SmtpEmailSender
from carebridge_notifications.channels.outcome import OutgoingMessage
from carebridge_notifications.channels.senders import build_senders
from carebridge_notifications.channels.sms import FileSmsOutbox, HttpSmsGateway
from carebridge_notifications.settings import NotificationSettings


def message(channel="email", address="someone@example.org"):
    return OutgoingMessage(uuid.uuid4(), channel, address, subject="Hello", text="Read it in the portal")


def test_maildir_sender_stores_a_readable_message(tmp_path):
    outcome = MaildirEmailSender(tmp_path / "mail", "care@example.org").send(message())
    assert outcome.kind == "sent"
    [stored] = list(mailbox.Maildir(str(tmp_path / "mail"), create=False))
    assert stored["To"] == "someone@example.org" and stored["Subject"] == "Hello"


def test_file_sms_outbox_appends_one_json_line_per_text(tmp_path):
    outbox = FileSmsOutbox(tmp_path / "sms")
    for _ in range(2):
        assert outbox.send(message("sms", "+15550100")).kind == "sent"
    lines = (tmp_path / "sms" / "outbox.jsonl").read_text().splitlines()
    assert [json.loads(line)["to"] for line in lines] == ["+15550100", "+15550100"]


def test_smtp_server_that_is_not_there_is_a_retry():
    from support import free_port
    outcome = SmtpEmailSender(host="127.0.0.1", port=free_port(), sender="x@example.org", timeout=2).send(message())
    assert outcome.kind == "retry" and outcome.reason.startswith("smtp-")


def test_sms_gateway_that_is_not_there_is_a_retry():
    from support import free_port
    outcome = HttpSmsGateway(f"http://127.0.0.1:{free_port()}/sms", timeout=2).send(message("sms", "+1555"))
    assert outcome.kind == "retry"


def settings(environment="development", **extra):
    return load_service_settings(NotificationSettings, Settings(service="notifications", environment=environment,
                                                                extra=extra))


class TestSettings:
    def test_development_without_servers_writes_files(self, monkeypatch):
        for name in ("SMTP_HOST", "SMS_GATEWAY_URL", "EMAIL_BACKEND", "SMS_BACKEND"):
            monkeypatch.delenv(name, raising=False)
        senders = build_senders(settings())
        assert isinstance(senders["email"], MaildirEmailSender) and isinstance(senders["sms"], FileSmsOutbox)

    def test_configured_servers_are_used(self):
        senders = build_senders(settings(SMTP_HOST="mail", SMTP_PORT="2525", SMS_GATEWAY_URL="https://gw/sms"))
        assert isinstance(senders["email"], SmtpEmailSender) and senders["email"].port == 2525
        assert isinstance(senders["sms"], HttpSmsGateway) and senders["sms"].url == "https://gw/sms"

    def test_production_refuses_file_backends_and_requires_a_gateway(self):
        with pytest.raises(ConfigurationError):
            settings("production", SMTP_HOST="mail")
        with pytest.raises(ConfigurationError):
            settings("production", SMTP_HOST="mail", SMS_BACKEND="file", SMS_GATEWAY_URL="https://gw")
        with pytest.raises(ConfigurationError, match="MESSAGE_LINK_SECRET"):
            settings("production", SMTP_HOST="mail", SMS_GATEWAY_URL="https://gw")
        assert settings("production", SMTP_HOST="mail", SMS_GATEWAY_URL="https://gw",
                        MESSAGE_LINK_SECRET="k" * 32).webhook_require_https

    def test_a_short_message_link_secret_is_refused(self):
        with pytest.raises(ConfigurationError, match="at least 32"):
            settings(MESSAGE_LINK_SECRET="too-short")

    @pytest.mark.parametrize("extra", [{"EMAIL_BACKEND": "pigeon"}, {"SMS_BACKEND": "smoke"},
                                       {"ON_CALL_NURSE_ID": "nurse-joy"}, {"ESCALATION_AFTER_MINUTES": "soon"},
                                       {"DELIVERY_MAX_ATTEMPTS": "0"}])
    def test_nonsense_is_refused_at_start_up(self, extra):
        with pytest.raises(ConfigurationError):
            settings(**extra)

    def test_escalation_and_retry_settings_are_read(self):
        config = settings(ESCALATION_AFTER_MINUTES="5", DELIVERY_MAX_ATTEMPTS="7", ON_CALL_NURSE_ID=str(uuid.UUID(int=1)))
        assert (config.escalation_after_minutes, config.retry.max_attempts) == (5, 7)
        assert config.on_call_nurse_id == uuid.UUID(int=1)
