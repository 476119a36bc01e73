"""Backoff between delivery attempts; webhook signatures."""
from datetime import datetime, timedelta, timezone

from carebridge_notifications.domain import webhook_signature as sig
from carebridge_notifications.domain.retry_policy import RetryPolicy


def test_delay_doubles_up_to_the_ceiling_and_gives_up_at_the_limit():
    policy = RetryPolicy(max_attempts=4, base_seconds=30, max_seconds=100)
    assert [policy.delay_after(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 100, 100]
    assert not policy.gives_up_after(3) and policy.gives_up_after(4)
    now = datetime(2026, 3, 2, tzinfo=timezone.utc)
    assert policy.next_attempt(2, now) == now + timedelta(seconds=60)


SECRET = "shared-secret"
BODY = b'{"event_type":"scheduling.appointment-missed"}'


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac
    expected = hmac.new(SECRET.encode(), b"1772460000." + BODY, hashlib.sha256).hexdigest()
    assert sig.signature(SECRET, 1772460000, BODY) == "sha256=" + expected


def test_receiver_accepts_a_fresh_signed_call_and_refuses_tampering_replay_and_wrong_secret():
    headers = sig.signed_headers(SECRET, 1772460000, BODY)
    assert sig.verify(SECRET, headers, BODY, now=1772460100)
    assert not sig.verify(SECRET, headers, BODY + b" ", now=1772460100)
    assert not sig.verify(SECRET, headers, BODY, now=1772460000 + 301)
    assert not sig.verify("other-secret", headers, BODY, now=1772460100)
    assert not sig.verify(SECRET, {**headers, sig.TIMESTAMP_HEADER: "soon"}, BODY, now=1772460100)
    assert not sig.verify(SECRET, {sig.SIGNATURE_HEADER: headers[sig.SIGNATURE_HEADER]}, BODY, now=1772460100)
