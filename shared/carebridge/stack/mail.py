"""A real SMTP server (aiosmtpd) the notifications service sends to, and a
mailbox the tests read."""
from __future__ import annotations

import email
import socket
import threading
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BOUNCING_DOMAIN = "bounce.example"


class Mailbox:
    """Accepts every message, except for addresses at BOUNCING_DOMAIN,
    which it refuses for good (550), as a mailbox that does not exist."""

    def __init__(self):
        self._messages: list[tuple[list[str], Message]] = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().endswith("@" + BOUNCING_DOMAIN):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self._lock:
            self._messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        with self._lock:
            return [message for recipients, message in self._messages if address in recipients]

    def all(self) -> list[tuple[list[str], Message]]:
        with self._lock:
            return list(self._messages)


class SmtpServer:
    def __init__(self):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
