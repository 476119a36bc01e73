"""SMS through a provider adapter.

`SmsProvider` is what the delivery loop needs; `HttpSmsGateway` speaks the
common JSON shape of SMS gateways (POST {to, from, text, reference} with a
bearer token, answering {"id": ...}); `FileSmsOutbox` is for the development
stack. Another provider is one more class with a `send` method.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Protocol

import requests

from .outcome import Outcome, OutgoingMessage

# Answers that mean "this number can never receive it" (invalid, unknown,
# landline, opted out at the carrier).
PERMANENT_STATUSES = frozenset({400, 404, 410, 422})


class SmsProvider(Protocol):
    def send(self, message: OutgoingMessage) -> Outcome: ...


class HttpSmsGateway:
    def __init__(self, url: str, *, token: str | None = None, sender: str | None = None, timeout: float = 10.0,
                 session: requests.Session | None = None):
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout
        self.session = session or requests.Session()

    def send(self, message: OutgoingMessage) -> Outcome:
        headers = {"Idempotency-Key": str(message.delivery_id)}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = {"to": message.address, "text": message.text, "reference": str(message.delivery_id)}
        if self.sender:
            payload["from"] = self.sender
        try:
            response = self.session.post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except requests.RequestException as error:
            return Outcome.retry(f"sms-{type(error).__name__}")
        if 200 <= response.status_code < 300:
            try:
                reference = str(response.json().get("id") or "") or None
            except ValueError:
                reference = None
            return Outcome.sent(reference)
        if response.status_code in PERMANENT_STATUSES:
            return Outcome.bounced(f"sms-rejected-{response.status_code}")
        return Outcome.retry(f"sms-http-{response.status_code}")


class FileSmsOutbox:
    """Development: each text is appended as one JSON line to a file."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / "outbox.jsonl"
        self._lock = threading.Lock()

    def send(self, message: OutgoingMessage) -> Outcome:
        line = json.dumps({"to": message.address, "text": message.text, "reference": str(message.delivery_id)})
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")
        return Outcome.sent(f"file:{message.delivery_id}")
