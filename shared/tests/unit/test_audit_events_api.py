"""Privacy officers answer "who saw this patient's record" on every service
(`GET /audit-events?patient_id=...`, from the kit's app factory), and lists
and searches record which patients their answers showed."""
import uuid

import pytest

from carebridge.testing import assert_problem, audit_trail, put_on_care_team


def toy(client, auth, patient_id, name="t"):
    return client.post("/toys", json={"name": name, "patient_id": str(patient_id)}, headers=auth()).get_json()


class TestSearchesRecordWhomTheyShowed:
    def test_a_list_records_one_search_per_patient_on_the_page(self, client, auth, runtime):
        patients = [uuid.uuid4() for _ in range(3)]
        for n, patient in enumerate(patients):
            toy(client, auth, patient, name=f"toy-{n}")
        toy(client, auth, patients[0], name="toy-3")  # the first patient twice on the page
        before = len(audit_trail(runtime))
        response = client.get("/toys", query_string={"page_size": 3}, headers={**auth("admin"), "X-Request-ID": "list-1"})
        assert response.status_code == 200
        shown = {item["patient_id"] for item in response.get_json()["items"]}
        searches = [r for r in audit_trail(runtime)[before:] if r["correlation_id"] == "list-1"]
        assert [r["action"] for r in searches] == ["search"] * len(shown)
        assert {r["patient_id"] for r in searches} == shown
        assert {r["resource_type"] for r in searches} == {"toy"}

    def test_an_empty_answer_still_records_the_search(self, client, auth, runtime):
        response = client.get("/toys", headers={**auth("admin"), "X-Request-ID": "list-2"})
        assert response.get_json()["items"] == []
        [search] = [r for r in audit_trail(runtime) if r["correlation_id"] == "list-2"]
        assert (search["action"], search["patient_id"]) == ("search", None)

    def test_a_nurse_is_recorded_for_the_patients_she_was_shown_only(self, client, auth, runtime):
        nurse, hers, not_hers = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        put_on_care_team(runtime, hers, nurse)
        toy(client, auth, hers)
        toy(client, auth, not_hers)
        response = client.get("/toys", headers={**auth("nurse", sub=nurse), "X-Request-ID": "list-3"})
        assert [item["patient_id"] for item in response.get_json()["items"]] == [str(hers)]
        assert [r["patient_id"] for r in audit_trail(runtime) if r["correlation_id"] == "list-3"] == [str(hers)]


class TestAuditEvents:
    def test_a_privacy_officer_sees_who_read_the_patients_records(self, client, auth, runtime):
        patient, other = uuid.uuid4(), uuid.uuid4()
        created = toy(client, auth, patient)
        toy(client, auth, other)
        reader = uuid.uuid4()
        put_on_care_team(runtime, patient, reader)
        client.get(f"/toys/{created['id']}", headers={**auth("nurse", sub=reader), "X-Request-ID": "read-1"})
        client.get("/toys", headers={**auth("admin"), "X-Request-ID": "list-4"})
        officer = uuid.uuid4()
        response = client.get("/audit-events", query_string={"patient_id": str(patient)},
                              headers={**auth("privacy-officer", sub=officer), "X-Request-ID": "who-saw"})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        events = [(e["action"], e["actor"], e["correlation_id"]) for e in body["items"]]
        assert ("read", str(reader), "read-1") in events
        # The admin's list showed the patient: its search is there too.
        assert any(action == "search" and correlation == "list-4" for action, _actor, correlation in events)
        assert all(e["patient_id"] == str(patient) for e in body["items"])
        assert body["items"] == sorted(body["items"], key=lambda e: -e["seq"])
        [nurse_read] = [e for e in body["items"] if e["correlation_id"] == "read-1"]
        assert nurse_read["roles"] == ["nurse"] and nurse_read["resource_type"] == "toy"
        # The question itself is audited.
        [asked] = [r for r in audit_trail(runtime) if r["correlation_id"] == "who-saw"]
        assert (asked["action"], asked["resource_type"], asked["actor"], asked["patient_id"]) == (
            "read", "audit-event", str(officer), str(patient))

    def test_filters_and_pages(self, client, auth):
        patient = uuid.uuid4()
        created = toy(client, auth, patient)
        for _ in range(3):
            client.get(f"/toys/{created['id']}", headers=auth())
        assert client.get(f"/toys/{created['id']}", headers=auth("nurse", sub=uuid.uuid4())).status_code == 403
        page = client.get("/audit-events", query_string={"patient_id": str(patient), "page_size": 2},
                          headers=auth("admin")).get_json()
        assert len(page["items"]) == 2 and page["total"] == 5
        denied = client.get("/audit-events", query_string={"patient_id": str(patient), "outcome": "denied"},
                            headers=auth("admin")).get_json()
        assert [e["outcome"] for e in denied["items"]] == ["denied"]

    @pytest.mark.parametrize("role", ["coordinator", "nurse", "billing", "service"])
    def test_only_admins_and_privacy_officers(self, client, auth, role):
        # A service calls with its own identity (sub = its name).
        headers = auth(role, sub="scheduling") if role == "service" else auth(role)
        response = client.get("/audit-events", query_string={"patient_id": str(uuid.uuid4())}, headers=headers)
        assert_problem(response, 403)

    @pytest.mark.parametrize("query", [{}, {"patient_id": "not-a-uuid"}, {"patient_id": str(uuid.uuid4()),
                                                                          "action": "peek"}])
    def test_bad_questions_are_422(self, client, auth, query):
        assert_problem(client.get("/audit-events", query_string=query, headers=auth("privacy-officer")), 422)

    def test_it_is_documented_on_every_service_as_patient_scoped(self, client):
        spec = client.get("/openapi.json").get_json()
        operation = spec["paths"]["/audit-events"]["get"]
        # Every service answers the same kit paths: its name keeps the ids unique.
        assert operation["operationId"] == "listToysAuditEvents" and operation["x-patient-scoped"] is True
        assert operation["summary"].startswith("List who saw or changed one patient's records")
        assert spec["paths"]["/audit-checkpoints"]["get"]["operationId"] == "listToysKeptAuditCheckpoints"
        assert operation["responses"]["200"]["content"]["application/json"]["example"]["items"]
