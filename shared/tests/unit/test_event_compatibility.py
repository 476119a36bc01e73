"""The event-compatibility gate on synthetic before/after catalogues: what an
older consumer or an older producer of the same version would trip on fails,
a new optional field or a new version passes, and a version may be removed
only once nothing consumes it."""
import pytest
from marshmallow import Schema, fields, validate

from carebridge.compat import compare_events
from carebridge.compat.describe import describe_schema


class BookedV1(Schema):
    appointment_id = fields.UUID(required=True)
    start = fields.AwareDateTime(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("booked", "pending")))
    location_id = fields.UUID(load_default=None, allow_none=True)
    codes = fields.List(fields.String(validate=validate.Length(max=20)), load_default=list)
    money = fields.Nested(Schema.from_dict({"amount": fields.Decimal(required=True, as_string=True, places=2),
                                            "currency": fields.String(required=True)}), required=True)


def catalogue(*versions, consumers=None) -> dict:
    """A description as describe_events gives it: ("type", version, schema class) ..."""
    events = {}
    for event_type, version, schema in versions:
        events.setdefault(event_type, {})[str(version)] = describe_schema(schema())
    return {"events": events, "consumers": consumers or {}, "errors": {}}


def changed(**fields_) -> type[Schema]:
    """BookedV1 with fields replaced (a field given as None is removed)."""
    declared = {name: field for name, field in BookedV1._declared_fields.items()}
    for name, field in fields_.items():
        if field is None:
            declared.pop(name)
        else:
            declared[name] = field
    return Schema.from_dict(declared)


BEFORE = catalogue(("scheduling.booked", 1, BookedV1))


def test_the_same_catalogue_is_compatible():
    assert compare_events(BEFORE, catalogue(("scheduling.booked", 1, BookedV1))) == []


@pytest.mark.parametrize("after, expected", [
    (changed(start=None), "field `start` was removed"),
    (changed(location_id=None), "field `location_id` was removed"),
    (changed(start=fields.String(required=True)), "field `start` changed type from AwareDateTime to String"),
    (changed(location_id=fields.UUID(required=True)), "field `location_id` was made required"),
    (changed(extra=fields.String(required=True)), "new field `extra` is required"),
    (changed(start=fields.AwareDateTime(load_default=None, allow_none=True)), "field `start` is no longer required"),
    (changed(location_id=fields.UUID(load_default=None, allow_none=False)),
     "field `location_id` no longer accepts null"),
    (changed(status=fields.String(required=True, validate=validate.OneOf(("booked", "pending", "held")))),
     "field `status` changed its choices"),
    (changed(codes=fields.List(fields.Integer(), load_default=list)),
     "field `codes[]` changed type from String to Integer"),
    (changed(money=fields.Nested(Schema.from_dict({"amount": fields.Decimal(required=True, as_string=True,
                                                                            places=2)}), required=True)),
     "field `money.currency` was removed"),
], ids=["required-field-removed", "optional-field-removed", "type-changed", "made-required", "new-required-field",
        "no-longer-required", "null-refused", "choices-widened", "list-item-type", "nested-field-removed"])
def test_a_change_in_place_fails(after, expected):
    problems = compare_events(BEFORE, catalogue(("scheduling.booked", 1, after)))
    assert any(problem.startswith(f"scheduling.booked v1: {expected}") for problem in problems), problems


def test_a_new_optional_field_passes():
    after = changed(telehealth=fields.Boolean(load_default=False), note_code=fields.String(load_default=None,
                                                                                           allow_none=True))
    assert compare_events(BEFORE, catalogue(("scheduling.booked", 1, after))) == []


def test_a_breaking_change_as_a_new_version_passes():
    v2 = changed(start=fields.String(required=True), location_id=None)
    after = catalogue(("scheduling.booked", 1, BookedV1), ("scheduling.booked", 2, v2),
                      ("scheduling.cancelled", 1, BookedV1))
    assert compare_events(BEFORE, after) == []


def test_removing_a_version_still_consumed_fails():
    before = catalogue(("scheduling.booked", 1, BookedV1), ("scheduling.booked", 2, BookedV1),
                       consumers={"billing": [["scheduling.booked", 1]]})
    after = catalogue(("scheduling.booked", 2, BookedV1), consumers={"billing": [["scheduling.booked", 2]]})
    assert compare_events(before, after) == ["scheduling.booked v1 was removed, but billing still consumes it"]


def test_removing_a_version_a_current_consumer_still_names_fails():
    before = catalogue(("scheduling.booked", 1, BookedV1), ("scheduling.booked", 2, BookedV1))
    after = catalogue(("scheduling.booked", 2, BookedV1))
    after["errors"] = {"careplans": "UnknownEventType: no schema for scheduling.booked v1"}
    assert compare_events(before, after) == [
        "the careplans service cannot be loaded: UnknownEventType: no schema for scheduling.booked v1"]


def test_removing_a_version_nothing_consumes_passes():
    before = catalogue(("scheduling.booked", 1, BookedV1), ("scheduling.booked", 2, BookedV1),
                       consumers={"billing": [["scheduling.booked", 2]]})
    after = catalogue(("scheduling.booked", 2, BookedV1), consumers={"billing": [["scheduling.booked", 2]]})
    assert compare_events(before, after) == []


def test_the_real_catalogue_is_described_field_by_field():
    from carebridge.events import registry
    described = describe_schema(registry.schema("billing.claim-paid", 1)())
    assert described["claim_id"] == {"type": "UUID", "required": True, "allow_none": False}
    assert described["paid"]["fields"]["amount"]["type"] == "Decimal"
    assert described["paid"]["fields"]["currency"]["pattern"] == "^[A-Z]{3}$"
