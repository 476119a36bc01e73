"""Email: over SMTP (smtplib) in real mode, or into a Maildir folder for the
development stack, where no mail server runs.

The Message-ID is derived from the delivery, so a message sent again after
a crash between sending and recording it carries the same id and mail
systems can recognise the duplicate.
"""
from __future__ import annotations

import mailbox
import smtplib
import threading
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from .outcome import Outcome, OutgoingMessage


def build_email(message: OutgoingMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.address
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = f"<{message.delivery_id}@notifications.carebridge>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.text)
    return email


def _permanent(code: int) -> bool:
    return 500 <= code < 600


class SmtpEmailSender:
    def __init__(self, *, host: str, port: int, sender: str, username: str | None = None,
                 password: str | None = None, starttls: bool = False, timeout: float = 10.0):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, message: OutgoingMessage) -> Outcome:
        email = build_email(message, self.sender)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()))[0]
            return Outcome.bounced(f"smtp-recipient-refused-{code}") if _permanent(code) \
                else Outcome.retry(f"smtp-recipient-deferred-{code}")
        except smtplib.SMTPDataError as error:
            return Outcome.bounced(f"smtp-message-refused-{error.smtp_code}") if _permanent(error.smtp_code) \
                else Outcome.retry(f"smtp-message-deferred-{error.smtp_code}")
        except (smtplib.SMTPException, OSError) as error:
            # Server down, timeouts, a refused sender (our configuration):
            # passing problems from the recipient's point of view.
            return Outcome.retry(f"smtp-{type(error).__name__}")
        return Outcome.sent(email["Message-ID"])


class MaildirEmailSender:
    """Development: every email lands in a Maildir (readable with any mail
    client, or `mutt -f`), so the dev stack never fails for want of a server."""

    def __init__(self, folder: Path, sender: str):
        self.folder, self.sender = Path(folder), sender
        self._lock = threading.Lock()

    def send(self, message: OutgoingMessage) -> Outcome:
        with self._lock:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            key = mailbox.Maildir(str(self.folder), create=True).add(build_email(message, self.sender))
        return Outcome.sent(f"maildir:{key}")
