"""The kit's FHIR pieces on their own: FHIR date searches, searchset paging
links, OperationOutcomes and the validation of the tests (the export's
gathering is the Python client's: clients/python/tests/test_fhir_export.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import Column, Date, DateTime, MetaData, Table, select

from carebridge.errors import RuleViolation
from carebridge.fhir.bundle import searchset_bundle
from carebridge.fhir.outcome import operation_outcome
from carebridge.fhir.search import _bounds, date_condition, reference_uuid, tokens
from carebridge.testing.fhir import validate_fhir

UTC = timezone.utc
table = Table("t", MetaData(), Column("at", DateTime(timezone=True)), Column("day", Date))


@pytest.mark.parametrize("text,start,end", [
    ("2026", datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    ("2026-12", datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    ("2026-03-02", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)),
    ("2026-03-02T10:15:00Z", datetime(2026, 3, 2, 10, 15, tzinfo=UTC), datetime(2026, 3, 2, 10, 15, 1, tzinfo=UTC)),
    ("2026-03-02T10:15+01:00", datetime(2026, 3, 2, 9, 15, tzinfo=UTC), datetime(2026, 3, 2, 9, 16, tzinfo=UTC)),
])
def test_a_partial_date_covers_its_whole_period(text, start, end):
    assert _bounds(text) == (start, end)


def test_date_prefixes_become_bounds_on_datetime_and_date_columns():
    def sql(column, text):
        condition = date_condition(column, text, name="date")
        return str(select(table).where(condition).compile(compile_kwargs={"literal_binds": True})).split("WHERE ")[1]
    assert sql(table.c.day, "ge2026-03-02") == "t.day >= '2026-03-02'"
    assert sql(table.c.day, "gt2026-03") == "t.day >= '2026-04-01'"
    assert sql(table.c.day, "2026-03-02") == "t.day >= '2026-03-02' AND t.day < '2026-03-03'"
    assert sql(table.c.day, "le2026-03-02") == "t.day < '2026-03-03'"
    assert "t.at < '2026-03-02 10:00:00+00:00'" in sql(table.c.at, "lt2026-03-02T10:00:00Z")
    for bad in ("yesterday", "ge2026-13-01", "2026-03-02T10", "xx2026"):
        with pytest.raises(RuleViolation):
            date_condition(table.c.at, bad, name="date")


def test_references_and_tokens_in_search_parameters():
    patient = "0b8f3c2a-6f7e-4d2b-8c1a-5e9d7f6a4b3c"
    assert str(reference_uuid(f"Patient/{patient}", "Patient", name="patient")) == patient
    assert str(reference_uuid(f"https://x.example/fhir/R4/Patient/{patient}", "Patient", name="patient")) == patient
    assert str(reference_uuid(patient, "Patient", name="patient")) == patient
    for bad in (f"Practitioner/{patient}", "Patient/not-an-id", ""):
        with pytest.raises(RuleViolation):
            reference_uuid(bad, "Patient", name="patient")
    assert tokens("active,http://hl7.org/fhir/request-status|draft,") == ["active", "draft"]


def test_searchset_links_page_through_and_keep_the_query():
    resources = [{"resourceType": "Basic", "id": str(n), "code": {"text": "x"}} for n in range(2)]
    bundle = searchset_bundle(resources, total=5, page=2, size=2, base_url="https://cb.example/fhir/R4/Basic",
                              query=[("patient", "Patient/1"), ("page", "2"), ("_count", "2")],
                              full_url=lambda r: f"https://cb.example/fhir/R4/Basic/{r['id']}")
    validate_fhir(bundle)
    links = {link["relation"]: link["url"] for link in bundle["link"]}
    base = "https://cb.example/fhir/R4/Basic?patient=Patient%2F1&_count=2&page="
    assert links == {"self": base + "2", "first": base + "1", "previous": base + "1", "next": base + "3",
                     "last": base + "3"}
    empty = searchset_bundle([], total=0, page=1, size=25, base_url="https://cb.example/fhir/R4/Basic", query=[],
                             full_url=str)
    assert "entry" not in empty and {link["relation"] for link in empty["link"]} == {"self", "first", "last"}
    validate_fhir(empty)


def test_an_error_becomes_an_operation_outcome_with_an_issue_per_invalid_field():
    outcome = operation_outcome(422, "Some fields are missing or invalid; see errors.", title="Invalid request",
                                errors={"query.date": ["not a FHIR date"], "patient": "required"})
    validate_fhir(outcome)
    assert [(i["code"], i.get("expression")) for i in outcome["issue"]] == [
        ("invalid", None), ("invalid", ["patient"]), ("invalid", ["query.date"])]
    assert operation_outcome(503, "down")["issue"][0] == {"severity": "fatal", "code": "transient",
                                                          "diagnostics": "down"}


def test_validation_checks_the_codes_of_required_bindings():
    plan = {"resourceType": "CarePlan", "status": "active", "intent": "plan", "subject": {"reference": "Patient/1"}}
    validate_fhir(plan)
    with pytest.raises(AssertionError, match="CarePlan.status = 'bogus'"):
        validate_fhir({**plan, "status": "bogus"})
    with pytest.raises(AssertionError):
        validate_fhir({"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {**plan, "intent": "x"}}]})
