"""Links to the secure message page: bound to one message and recipient,
unforgeable without the key, and expiring."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from carebridge_notifications.domain.secure_links import BadLink, ExpiredLink, make_token, read_token

KEY = "k" * 40
NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
MESSAGE, PERSON = uuid.uuid4(), uuid.uuid4()


def token(**kwargs):
    return make_token(kwargs.pop("key", KEY), notification_id=MESSAGE, recipient_type="related-person",
                      recipient_id=PERSON, now=NOW, days=7, **kwargs)


def test_a_link_names_its_message_recipient_and_expiry():
    link = read_token(KEY, token(), now=NOW + timedelta(days=6))
    assert (link.notification_id, link.recipient_type, link.recipient_id) == (MESSAGE, "related-person", PERSON)
    assert link.expires_at == NOW + timedelta(days=7)


def test_it_expires():
    with pytest.raises(ExpiredLink):
        read_token(KEY, token(), now=NOW + timedelta(days=7))


@pytest.mark.parametrize("change", [
    lambda t: t[:5] + ("A" if t[5] != "A" else "B") + t[6:],   # the contents
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature
    lambda t: t.split(".")[0],                                  # no signature
    lambda t: "",
    lambda t: "%%%.###",
])
def test_a_changed_link_is_refused(change):
    with pytest.raises(BadLink):
        read_token(KEY, change(token()), now=NOW)


def test_another_key_does_not_open_it():
    with pytest.raises(BadLink):
        read_token("z" * 40, token(), now=NOW)


def test_two_links_never_look_alike():
    assert token() != make_token(KEY, notification_id=uuid.uuid4(), recipient_type="related-person",
                                 recipient_id=PERSON, now=NOW, days=7)


def test_every_other_last_character_is_refused():
    """The signature's last base64 character carries spare bits: spellings
    that decode to the same bytes are refused too."""
    original = token()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for other in alphabet.replace(original[-1], ""):
        with pytest.raises(BadLink):
            read_token(KEY, original[:-1] + other, now=NOW)
    assert read_token(KEY, original, now=NOW).notification_id == MESSAGE
