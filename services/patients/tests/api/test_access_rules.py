"""Who may touch which patient's data, checked on every patient-scoped
operation the OpenAPI document lists, so a new endpoint cannot slip past."""
import uuid

import pytest

from carebridge.testing import assert_problem, patient_scoped_operations
from carebridge.testing.fhir import assert_outcome
from support import audit_of, patient_payload
from carebridge.web.api import PUBLIC_PATHS

# A valid body for each operation that takes one: the access check must be
# what refuses, not the validation.
BODIES = {
    ("post", "/patients"): lambda ids: patient_payload(),
    ("patch", "/patients/{patient_id}"): lambda ids: {"time_zone": "UTC"},
    ("put", "/patients/{patient_id}/status"): lambda ids: {"status": "inactive"},
    ("post", "/patients/{patient_id}/related-persons"):
        lambda ids: {"given_name": "Ana", "family_name": "Ruiz", "relationship": "spouse"},
    ("patch", "/patients/{patient_id}/related-persons/{person_id}"): lambda ids: {"active": False},
    ("put", "/patients/{patient_id}/related-persons/{person_id}/consent"):
        lambda ids: {"appointments": True, "care_plan": True, "billing": True},
    ("post", "/patients/{patient_id}/allergies"):
        lambda ids: {"substance_system": "rxnorm", "substance_code": "733", "substance_name": "Ampicillin"},
    ("patch", "/patients/{patient_id}/allergies/{allergy_id}"): lambda ids: {"severity": "mild"},
    ("post", "/care-teams"): lambda ids: {"patient_id": ids["patient_id"], "name": "Another team"},
    ("patch", "/care-teams/{team_id}"): lambda ids: {"name": "Renamed"},
    ("post", "/care-teams/{team_id}/members"): lambda ids: {"practitioner_id": ids["practitioner_id"]},
    ("patch", "/care-teams/{team_id}/members/{membership_id}"): lambda ids: {"role": "other"},
}


@pytest.fixture
def scoped_operations(client, coordinator):
    spec = client.get("/openapi.json", headers=coordinator).get_json()
    return [(method.lower(), path) for method, path in patient_scoped_operations(spec)]


@pytest.fixture
def records(staff, patient):
    """One of each record of the patient, with the ids the paths need."""
    nurse = staff.practitioner("nurse")
    team = staff.team(patient["id"], [nurse["id"]])
    return {"patient_id": patient["id"], "person_id": staff.related_person(patient["id"])["id"],
            "allergy_id": staff.allergy(patient["id"])["id"], "team_id": team["id"],
            "membership_id": team["members"][0]["id"], "practitioner_id": nurse["id"], "nurse": nurse}


def call(client, method, path, ids, headers):
    body = BODIES.get((method, path))
    return getattr(client, method)(path.format(**ids), json=body(ids) if body else None,
                                   headers={**headers, "If-Match": '"1"'})


def test_every_patient_scoped_operation_has_a_test_body_if_it_takes_one(scoped_operations):
    writes = {(m, p) for m, p in scoped_operations if m in ("post", "put", "patch")}
    assert writes - set(BODIES) == {("post", "/patients/{patient_id}/related-persons/{person_id}/consent-withdrawal")}
    assert len(scoped_operations) == 22


def test_a_nurse_off_the_team_is_refused_everywhere_and_learns_nothing(client, runtime, scoped_operations, records,
                                                                       outsider, subtests):
    for method, path in scoped_operations:
        with subtests.test(operation=f"{method.upper()} {path}"):
            response = call(client, method, path, records, outsider)
            body = assert_problem(response, 403)
            assert {k: v for k, v in body.items() if k != "request_id"} == {
                "type": "urn:carebridge:problem:forbidden", "title": "Forbidden", "status": 403,
                "detail": "You do not have access to this resource."}
    denied = audit_of(runtime, outcome="denied")
    # Registering is refused by role before any patient is involved; every
    # other refusal is on the record, against the patient.
    assert len(denied) == len(scoped_operations) - 1
    assert {r["patient_id"] for r in denied} == {records["patient_id"]}
    assert audit_of(runtime, outcome="success", roles="nurse") == []


def test_the_refusal_is_the_same_whether_or_not_the_patient_exists(client, outsider, patient):
    real = client.get(f"/patients/{patient['id']}", headers=outsider).get_json()
    ghost = client.get(f"/patients/{uuid.uuid4()}", headers=outsider).get_json()
    for body in (real, ghost):
        body.pop("request_id")
    assert real == ghost


def test_a_nurse_on_the_team_reads_everything_and_each_read_is_audited_once(client, runtime, scoped_operations,
                                                                            records, staff, subtests):
    headers = staff.headers_of(records["nurse"])
    reads = [(m, p) for m, p in scoped_operations if m == "get"]
    for method, path in reads:
        with subtests.test(operation=path):
            before = len(audit_of(runtime, outcome="success", roles="nurse"))
            assert call(client, method, path, records, headers).status_code == 200
            assert len(audit_of(runtime, outcome="success", roles="nurse")) == before + 1
    assert audit_of(runtime, outcome="denied") == []


def test_a_membership_that_has_ended_or_not_begun_gives_no_access(client, staff, patient, clock):
    nurse = staff.practitioner("nurse")
    staff.team(patient["id"], [{"practitioner_id": nurse["id"],
                                       "period_start": clock.now().isoformat(),
                                       "period_end": clock.advance(days=1).isoformat()}])
    assert_problem(client.get(f"/patients/{patient['id']}", headers=staff.headers_of(nurse)), 403)
    clock.advance(days=-2)
    assert_problem(client.get(f"/patients/{patient['id']}", headers=staff.headers_of(nurse)), 403)
    clock.advance(days=1, hours=1)
    assert client.get(f"/patients/{patient['id']}", headers=staff.headers_of(nurse)).status_code == 200


def test_billing_sees_demographics_contacts_and_teams_but_nothing_clinical(client, auth, runtime, records, subtests):
    billing = auth("billing")
    ids = records
    allowed = ["/patients/{patient_id}", "/patients/{patient_id}/related-persons",
               "/patients/{patient_id}/related-persons/{person_id}", "/patients/{patient_id}/care-teams",
               "/care-teams/{team_id}", "/care-teams/{team_id}/members/{membership_id}"]
    refused = ["/patients/{patient_id}/allergies", "/patients/{patient_id}/allergies/{allergy_id}"]
    for path in allowed:
        with subtests.test(path=path, expect=200):
            assert client.get(path.format(**ids), headers=billing).status_code == 200
    for path in refused:
        with subtests.test(path=path, expect=403):
            assert_problem(client.get(path.format(**ids), headers=billing), 403)
    assert len(audit_of(runtime, roles="billing", outcome="denied")) == len(refused)


def test_searches_leave_a_search_record_for_each_patient_shown(client, coordinator, runtime, staff):
    for _ in range(3):
        staff.patient()
    page = client.get("/patients?page_size=2", headers=coordinator).get_json()
    assert page["total"] == 3
    records = audit_of(runtime, action="search")
    assert {(r["resource_type"], r["outcome"]) for r in records} == {("patient", "success")}
    assert sorted(r["patient_id"] for r in records) == sorted(item["id"] for item in page["items"])


def test_every_operation_but_the_probes_needs_a_token(client, coordinator, records, subtests):
    spec = client.get("/openapi.json", headers=coordinator).get_json()
    for path, operations in spec["paths"].items():
        if path in PUBLIC_PATHS:
            continue
        for method in (m for m in operations if m != "parameters"):
            with subtests.test(operation=f"{method.upper()} {path}"):
                response = getattr(client, method)(path.format(**records, resource_id=records["patient_id"]))
                if path.startswith("/fhir/"):
                    assert_outcome(response, 401)
                else:
                    assert_problem(response, 401)


def test_a_team_nurse_s_read_asks_for_the_row_and_the_membership_in_one_statement(client, runtime, records, staff,
                                                                                    monkeypatch):
    from sqlalchemy import event

    statements = []

    def seen(_connection, _cursor, statement, *_args):
        statements.append(statement)

    if runtime.db.dialect == "postgresql":
        # On PostgreSQL the kit runs that read on the driver's connection
        # (access.py), out of SQLAlchemy's sight: watch the driver's cursors,
        # which SQLAlchemy's statements go through as well.
        import psycopg
        execute = psycopg.Cursor.execute

        def traced(cursor, query, *args, **kwargs):
            statements.append(str(query))
            return execute(cursor, query, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "execute", traced)
        response = client.get(f"/patients/{records['patient_id']}", headers=staff.headers_of(records["nurse"]))
    else:
        event.listen(runtime.db.engine, "before_cursor_execute", seen)
        try:
            response = client.get(f"/patients/{records['patient_id']}", headers=staff.headers_of(records["nurse"]))
        finally:
            event.remove(runtime.db.engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    membership = [s for s in statements if "access_care_team_members" in s]
    assert len(membership) == 1 and "FROM patients" in membership[0]
