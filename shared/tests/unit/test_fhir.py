"""The kit's FHIR pieces on their own: FHIR date searches, searchset paging
links, OperationOutcomes, reference walking, and the export's gathering
(against a fake of the services' FHIR interfaces)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import Column, Date, DateTime, MetaData, Table, select

from carebridge.errors import RuleViolation
from carebridge.fhir.bundle import searchset_bundle
from carebridge.fhir.export import export_patient, references
from carebridge.fhir.outcome import operation_outcome
from carebridge.fhir.search import _bounds, date_condition, reference_uuid, tokens
from carebridge.fhir.transport import FhirHttpError
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


class FakeServices:
    """Two services' FHIR interfaces, in memory."""

    def __init__(self):
        self.bases = {"people": "https://people.example/fhir/R4", "plans": "https://plans.example/fhir/R4"}
        self.store = {
            "people": {"Patient/p1": {"resourceType": "Patient", "id": "p1"},
                       "Practitioner/n1": {"resourceType": "Practitioner", "id": "n1"}},
            "plans": {"CarePlan/c1": {"resourceType": "CarePlan", "id": "c1", "status": "active", "intent": "plan",
                                      "subject": {"reference": "Patient/p1"},
                                      "author": {"reference": "Practitioner/n1"},
                                      "addresses": [{"reference": "Condition/x"}],
                                      "contributor": [{"reference": "Practitioner/gone"}]},
                      "CarePlan/c2": {"resourceType": "CarePlan", "id": "c2", "status": "active", "intent": "plan",
                                      "subject": {"reference": "Patient/p2"}}},
        }
        self.reads = []

    def capabilities(self, service):
        types = {"people": [("Patient", "_id"), ("Practitioner", None)], "plans": [("CarePlan", "patient")]}[service]
        return {"rest": [{"resource": [{"type": name, "searchParam": [{"name": p}] if p else []}
                                       for name, p in types]}]}

    def search(self, service, resource_type, params):
        wanted = next(iter(params.values()))
        for ref, resource in self.store[service].items():
            if ref.startswith(resource_type + "/") and (
                    f"Patient/{resource['id']}" == wanted or resource.get("subject", {}).get("reference") == wanted):
                yield resource

    def read(self, service, resource_type, resource_id):
        self.reads.append(f"{resource_type}/{resource_id}")
        found = self.store[service].get(f"{resource_type}/{resource_id}")
        if found is None:
            raise FhirHttpError(f"{self.bases[service]}/{resource_type}/{resource_id}", 404, None)
        return found


def test_the_export_gathers_the_patients_resources_and_what_they_refer_to():
    services = FakeServices()
    found = export_patient(services, "p1", base_url="https://people.example/fhir/R4")
    urls = [entry["fullUrl"] for entry in found.bundle["entry"]]
    assert urls == ["https://people.example/fhir/R4/Patient/p1", "https://people.example/fhir/R4/Practitioner/n1",
                    "https://people.example/fhir/R4/CarePlan/c1"]
    assert found.counts == {"Patient": 1, "Practitioner": 1, "CarePlan": 1}
    # Condition: no service serves it; the practitioner who is gone: 404.
    assert found.unresolved == ["Condition/x", "Practitioner/gone"]
    assert services.reads == ["Practitioner/gone", "Practitioner/n1"]
    assert references(found.bundle) == ["Patient/p1", "Practitioner/n1", "Condition/x", "Practitioner/gone"]
    assert found.bundle["type"] == "collection"


def test_the_export_passes_over_a_service_with_no_fhir_interface():
    class WithMonitoring(FakeServices):
        def capabilities(self, service):
            if service == "monitoring":
                raise FhirHttpError("https://monitoring.example/fhir/R4/metadata", 404, None)
            return super().capabilities(service)

    services = WithMonitoring()
    services.bases["monitoring"] = "https://monitoring.example/fhir/R4"
    found = export_patient(services, "p1", base_url="https://people.example/fhir/R4")
    assert found.counts == {"Patient": 1, "Practitioner": 1, "CarePlan": 1}

    class Failing(FakeServices):
        def capabilities(self, service):
            raise FhirHttpError("https://people.example/fhir/R4/metadata", 503, None)

    with pytest.raises(FhirHttpError):  # a service that is down is not passed over in silence
        export_patient(Failing(), "p1", base_url="https://people.example/fhir/R4")


def test_validation_checks_the_codes_of_required_bindings():
    plan = {"resourceType": "CarePlan", "status": "active", "intent": "plan", "subject": {"reference": "Patient/1"}}
    validate_fhir(plan)
    with pytest.raises(AssertionError, match="CarePlan.status = 'bogus'"):
        validate_fhir({**plan, "status": "bogus"})
    with pytest.raises(AssertionError):
        validate_fhir({"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {**plan, "intent": "x"}}]})
