"""/inbox/stream: the live stream of a practitioner's own inbox (server-sent events)."""
import json

import pytest

from carebridge.testing import assert_problem
from support import audit_since, runtime_settings_for


@pytest.fixture
def runtime_settings(tmp_path):
    return runtime_settings_for(tmp_path, INBOX_STREAM_POLL_SECONDS="0.05", INBOX_STREAM_MAX_SECONDS="3",
                                INBOX_STREAM_KEEPALIVE_SECONDS="1")


def events_of(chunk: bytes) -> list[dict]:
    """The `inbox-item` events in a chunk of the stream, as (id, data)."""
    found = []
    for block in chunk.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if fields.get("event") == "inbox-item":
            found.append({"id": fields["id"], "data": json.loads(fields["data"])})
    return found


def open_stream(client, headers):
    response = client.get("/inbox/stream", headers=headers, buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    chunks = iter(response.response)
    assert next(chunks).startswith(b"retry: ")
    return response, chunks


def test_a_notification_arriving_while_open_is_sent_once_to_its_recipient_only(client, auth, runtime, world):
    world.deliver(world.task(owner=world.nurse, code="rebook", priority="routine"))   # already there: not sent
    nurse_response, nurse_stream = open_stream(client, auth("nurse", sub=world.nurse))
    physician_response, physician_stream = open_stream(client, auth("physician", sub=world.physician))
    world.deliver(world.missed())
    sent = events_of(next(nurse_stream))
    assert [e["data"]["source_event_type"] for e in sent] == ["scheduling.appointment-missed"]
    assert sent[0]["id"] == sent[0]["data"]["id"] and sent[0]["data"]["needs_acknowledgement"] is True
    # The physician is not told of it: their stream only keeps alive.
    assert next(physician_stream) == b": keep-alive\n\n"
    # Nothing new: the nurse's stream only keeps alive, and never sends the item again.
    assert next(nurse_stream) == b": keep-alive\n\n"
    nurse_response.close()
    physician_response.close()


def test_opening_and_each_push_are_audited_like_the_inbox(client, auth, runtime, world):
    before = len(audit_since(runtime))
    response, stream = open_stream(client, auth("nurse", sub=world.nurse))
    assert audit_since(runtime, before) == [("search", "inbox", None, "success")]
    world.deliver(world.missed())
    events_of(next(stream))
    assert audit_since(runtime, before + 1) == [("search", "inbox", str(world.patient), "success")]
    response.close()


def test_a_reconnecting_stream_resumes_after_the_last_event_id(client, auth, world, clock):
    headers = auth("nurse", sub=world.nurse)
    world.deliver(world.task(owner=world.nurse, code="rebook", priority="routine"))
    first = client.get("/inbox?page_size=1", headers=headers).get_json()["items"][0]
    clock.advance(minutes=1)
    world.deliver(world.missed())
    response, stream = open_stream(client, {**headers, "Last-Event-ID": first["id"]})
    resumed = events_of(next(stream))
    assert [e["data"]["source_event_type"] for e in resumed] == ["scheduling.appointment-missed"]
    response.close()


def test_the_stream_ends_after_its_longest_life(client, auth, world):
    response, stream = open_stream(client, auth("nurse", sub=world.nurse))
    assert all(chunk == b": keep-alive\n\n" for chunk in stream)   # the generator ends by itself
    response.close()


def test_only_staff_with_a_directory_id_have_a_stream(client, auth):
    assert_problem(client.get("/inbox/stream"), 401)
    assert_problem(client.get("/inbox/stream", headers=auth("admin", sub="ops-console")), 403)
    assert_problem(client.get("/inbox/stream", headers=auth("service", sub="careplans")), 403)
