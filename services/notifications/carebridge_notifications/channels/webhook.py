"""Signed webhook calls to staff apps (see domain/webhook_signature.py)."""
from __future__ import annotations

import requests

from carebridge import clock

from ..domain.webhook_signature import DELIVERY_HEADER, EVENT_TYPE_HEADER, signed_headers
from .outcome import Outcome, OutgoingMessage
from .pinned_http import post_pinned

# Worth another try later: the receiver is overloaded or restarting.
RETRYABLE_STATUSES = frozenset({408, 425, 429})


class WebhookSender:
    def __init__(self, *, timeout: float = 5.0, session: requests.Session | None = None, target_rule=None):
        self.timeout = timeout
        self.session = session or requests.Session()
        # webhook_targets_check.TargetRule: checked at every call, since the
        # URL's name may resolve somewhere else than when it was subscribed,
        # and the call then goes to the address checked (pinned), not to
        # what the name resolves to a moment later. Without a rule
        # (development) the session calls the URL as it is.
        self.target_rule = target_rule

    def send(self, message: OutgoingMessage) -> Outcome:
        verdict = self.target_rule.check(message.address) if self.target_rule is not None else None
        if verdict is not None and verdict.refusal is not None:
            return Outcome.bounced(f"webhook-target-{verdict.refusal}")
        timestamp = int(clock.now().timestamp())
        headers = {"Content-Type": "application/json", DELIVERY_HEADER: str(message.delivery_id),
                   EVENT_TYPE_HEADER: message.event_type, **signed_headers(message.secret, timestamp, message.body)}
        try:
            if verdict is not None and verdict.address is not None:
                response = post_pinned(message.address, verdict.address, data=message.body, headers=headers,
                                       timeout=self.timeout)
            else:
                response = self.session.post(message.address, data=message.body, headers=headers,
                                             timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as error:
            return Outcome.retry(f"webhook-{type(error).__name__}")
        status = response.status_code
        if 200 <= status < 300:
            return Outcome.sent(response.headers.get("X-Request-ID"))
        if status >= 500 or status in RETRYABLE_STATUSES:
            return Outcome.retry(f"webhook-http-{status}")
        # Redirects are not followed (the signed call must reach the URL that
        # was registered) and other 4xx answers will not change on retry.
        return Outcome.bounced(f"webhook-http-{status}")
