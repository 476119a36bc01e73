"""Odd input gets a clear 400/422 problem+json, the same on SQLite and
PostgreSQL, from every service (carebridge.web.input_rules): never a 500,
never stored on one database and refused by the other."""
import json
import uuid

import pytest
from marshmallow import fields

from carebridge.testing import assert_problem


def post_raw(client, auth, body: str):
    return client.post("/toys", data=body, content_type="application/json", headers=auth())


def test_json_nested_deeper_than_anyone_writes_is_400_not_a_recursion_error(client, auth):
    for depth in (40, 5000, 100_000):
        body = '{"name": "kite", "patient_id": "%s", "extra": %s%s}' % (uuid.uuid4(), "[" * depth, "]" * depth)
        assert_problem(post_raw(client, auth, body), 400)


def test_a_lone_surrogate_is_400(client, auth):
    body = '{"name": "ki\\ud800te", "patient_id": "%s"}' % uuid.uuid4()
    problem = assert_problem(post_raw(client, auth, body), 400)
    assert problem["errors"] == {"name": ["not valid Unicode"]}


def test_a_nul_character_is_refused_on_every_database(client, auth):
    body = json.dumps({"name": "ki\x00te", "patient_id": str(uuid.uuid4())})
    problem = assert_problem(post_raw(client, auth, body), 422)
    assert problem["errors"] == {"name": ["contains a NUL character"]}
    assert_problem(client.get("/toys", query_string={"patient_id": "a\x00b"}, headers=auth()), 422)


def test_integers_beyond_64_bits_are_out_of_range(client, auth):
    assert_problem(client.get("/toys", query_string={"page": "1180591620717411303424"}, headers=auth()), 400)
    body = json.dumps({"name": "kite", "patient_id": str(uuid.uuid4()), "count": 2 ** 70})
    assert assert_problem(post_raw(client, auth, body), 422)["errors"] == {"count": ["out of range"]}


def test_full_width_digits_are_not_read_as_numbers(client, auth):
    problem = assert_problem(client.get("/toys", query_string={"page": "１２"}, headers=auth()), 422)
    assert problem["errors"] == {"page": ["digits must be 0-9"]}
    body = json.dumps({"name": "kite", "patient_id": str(uuid.uuid4()), "amount": "１２.５０"})
    assert_problem(post_raw(client, auth, body), 422)
    # Text that merely contains such digits is text.
    assert post_raw(client, auth, json.dumps({"name": "Room １２B", "patient_id": str(uuid.uuid4())})).status_code == 201


@pytest.mark.parametrize("field, text", [(fields.Date(), "19700101"), (fields.Date(), "1970-W01-1"),
                                         (fields.AwareDateTime(), "19700101T000000Z"),
                                         (fields.Date(), "１９７０-01-01")])
def test_only_the_extended_iso_form_is_a_date(app, field, text):
    with pytest.raises(Exception):
        field.deserialize(text)


def test_the_extended_iso_forms_still_read(app):
    assert str(fields.Date().deserialize("1970-01-01")) == "1970-01-01"
    assert fields.AwareDateTime().deserialize("2026-03-02T14:00:00Z").utcoffset().total_seconds() == 0
    assert fields.AwareDateTime().deserialize("2026-03-02T09:00:00.5-05:00").hour == 9
