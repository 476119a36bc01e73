"""A list's items in their JSON form (`Paged.plain()`, `Model.plain_from_dict`)
are exactly what the typed objects' `to_dict()` gives, without making them."""
from __future__ import annotations

import dataclasses
import inspect

import pytest

from carebridge_client import Model, Paged
from carebridge_client._generated import billing, careplans, notifications, patients, scheduling
from carebridge_client._models import _parse, _plain

TASK = {"id": "t1", "code": "outreach", "priority": "urgent", "reason": "Call", "owner_id": None,
        "due_at": "2026-12-07T09:30:00+00:00", "created_at": "2026-12-01T08:00:00.120000+00:00",
        "overdue": True, "version": 3, "a_field_of_a_newer_server": {"kept": None}}
PLAN = {"id": "p1", "title": "Heart failure", "status": "active", "version": 2, "created_at": "2026-12-01T08:00:00Z",
        "period": {"start": "2026-12-01", "end": None},
        "goals": [{"description": "Weight steady", "target": None}],
        "activities": [{"kind": "medication", "status": "scheduled",
                        "medication": {"name": "furosemide", "dose": "40 mg", "frequency": "daily", "route": None}},
                       {"kind": "follow-up", "follow_up": {"appointment_type_code": "cardiology-follow-up"}}]}
CLAIM = {"id": "c1", "status": "submitted", "service_date": "2026-11-30", "service_codes": ["99214"],
         "billed": {"amount": "180.00", "currency": "USD"}, "history": [], "reasons": [], "appeal_count": 0,
         "coverage_id": None, "created_at": "2026-12-01T08:00:00+00:00", "updated_at": "2026-12-01T08:00:00+00:00",
         "patient_id": "x", "submission_attempts": 1, "submission_kind": "original", "version": 1}


@pytest.mark.parametrize("cls, data", [(careplans.Task, TASK), (careplans.Plan, PLAN), (billing.Claim, CLAIM),
                                       (careplans.Task, {}), (patients.Patient, {"mrn": None, "given_name": "Ana"})])
def test_the_json_form_is_what_to_dict_gives(cls, data):
    assert cls.plain_from_dict(data) == cls.from_dict(data).to_dict()
    assert list(cls.plain_from_dict(data)) == list(cls.from_dict(data).to_dict())   # and in the same order


def test_times_are_written_as_to_dict_writes_them():
    assert careplans.Plan.plain_from_dict(PLAN)["created_at"] == "2026-12-01T08:00:00+00:00"


def _every_model():
    for module in (billing, careplans, notifications, patients, scheduling):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Model) and cls is not Model and dataclasses.is_dataclass(cls):
                yield cls


def test_every_model_with_every_field_unset_or_null_agrees():
    for cls in _every_model():
        wire = {cls.__wire__.get(f.name, f.name): None for f in dataclasses.fields(cls)}
        assert cls.plain_from_dict(wire) == cls.from_dict(wire).to_dict(), cls.__name__
        assert cls.plain_from_dict({}) == cls.from_dict({}).to_dict(), cls.__name__


def test_paged_plain_reads_the_same_pages_as_iterating():
    pages = {1: [TASK, {**TASK, "id": "t2"}], 2: [{**TASK, "id": "t3"}]}
    fetched = []

    def fetch(page):
        fetched.append(page)
        return pages.get(page, []), 3, f"request-{page}"

    def paged():
        return Paged(fetch, lambda item, request_id: _parse("ref:Task", item, careplans),
                     lambda item: _plain("ref:Task", item, careplans))

    typed = list(paged())
    assert [t.to_dict() for t in typed] == list(paged().plain())
    assert fetched == [1, 2, 1, 2]
    first_only = paged()
    assert next(first_only.plain())["id"] == "t1" and first_only.total == 3 and first_only.request_ids == ["request-1"]
