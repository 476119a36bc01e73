"""The sender of each channel, as the settings choose them (built once per
runtime: `runtime.dependencies.senders`)."""
from __future__ import annotations

from ..domain.vocabulary import EMAIL, SMS, WEBHOOK_CHANNEL
from ..settings import NotificationSettings
from .email import MaildirEmailSender, SmtpEmailSender
from .sms import FileSmsOutbox, HttpSmsGateway
from .webhook import WebhookSender


def build_senders(config: NotificationSettings, webhook_target_rule=None) -> dict:
    if config.email_backend == "smtp":
        email = SmtpEmailSender(host=config.smtp_host, port=config.smtp_port, sender=config.smtp_from,
                                username=config.smtp_username, password=config.smtp_password,
                                starttls=config.smtp_starttls, timeout=config.smtp_timeout)
    else:
        email = MaildirEmailSender(config.email_dir, config.smtp_from)
    if config.sms_backend == "http":
        sms = HttpSmsGateway(config.sms_gateway_url, token=config.sms_gateway_token, sender=config.sms_from)
    else:
        sms = FileSmsOutbox(config.sms_dir)
    return {EMAIL: email, SMS: sms, WEBHOOK_CHANNEL: WebhookSender(timeout=config.webhook_timeout,
                                                                target_rule=webhook_target_rule)}
