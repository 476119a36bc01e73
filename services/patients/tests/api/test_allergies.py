"""/patients/{id}/allergies."""
import uuid

from carebridge.testing import assert_problem, outbox
from support import audit_of


def url(patient_id, allergy_id=None):
    base = f"/patients/{patient_id}/allergies"
    return f"{base}/{allergy_id}" if allergy_id else base


PENICILLIN = {"substance_system": "rxnorm", "substance_code": "7980", "substance_name": "Penicillin G",
              "criticality": "high", "severity": "severe", "reaction": "Hives and wheezing"}


class TestRecord:
    def test_records_and_publishes_the_code_but_not_the_name(self, client, staff, runtime, patient, team_nurse, clock):
        response = client.post(url(patient["id"]), json=PENICILLIN, headers=team_nurse)
        assert response.status_code == 201 and response.headers["ETag"] == '"1"'
        body = response.get_json()
        assert response.headers["Location"] == url(patient["id"], body["id"])
        assert (body["category"], body["clinical_status"], body["verification_status"]) == \
            ("medication", "active", "confirmed")
        assert body["recorded_at"] == clock.now().isoformat()
        assert body["recorded_by"] == staff.client.get("/practitioners/me", headers=team_nurse).get_json()["id"]
        [event] = outbox(runtime, "patients.allergy-changed")
        assert event.data == {"allergy_id": body["id"], "patient_id": patient["id"], "revision": 1,
                              "substance_system": "rxnorm", "substance_code": "7980", "category": "medication",
                              "criticality": "high", "severity": "severe", "clinical_status": "active",
                              "verification_status": "confirmed"}
        assert "Penicillin" not in event.to_json() and "Hives" not in event.to_json()

    def test_drug_class_codes_are_normalised(self, client, coordinator, patient):
        body = client.post(url(patient["id"]), headers=coordinator, json={
            "substance_system": "drug-class", "substance_code": "CLASS:Sulfonamides",
            "substance_name": "Sulfa drugs"}).get_json()
        assert body["substance_code"] == "class:sulfonamides"

    def test_the_same_substance_twice_is_409_unless_the_first_was_a_mistake(self, client, staff, coordinator,
                                                                             runtime, patient):
        first = staff.allergy(patient["id"])
        body = assert_problem(client.post(url(patient["id"]), json=PENICILLIN, headers=coordinator), 409)
        assert body["allergy_id"] == first["id"]
        client.patch(url(patient["id"], first["id"]), json={"verification_status": "entered-in-error"},
                     headers={**coordinator, "If-Match": '"1"'})
        assert client.post(url(patient["id"]), json=PENICILLIN, headers=coordinator).status_code == 201

    def test_invalid_bodies_are_422_naming_the_field(self, client, coordinator, runtime, patient, subtests):
        for change, field in [
            ({"substance_system": "icd10"}, "substance_system"),
            ({"substance_code": "penicillin"}, "substance_code"),
            ({"substance_system": "drug-class", "substance_code": "class:penicilins"}, "substance_code"),
            ({"category": "food"}, "category"),
            ({"severity": "fatal"}, "severity"),
            ({"criticality": "medium"}, "criticality"),
            ({"clinical_status": "gone"}, "clinical_status"),
            ({"verification_status": "maybe"}, "verification_status"),
            ({"onset_date": "2099-01-01"}, "onset_date"),
            ({"onset_date": "2020-13-01"}, "onset_date"),
            ({"substance_name": ""}, "substance_name"),
        ]:
            with subtests.test(field=field, change=change):
                body = assert_problem(client.post(url(patient["id"]), json={**PENICILLIN, **change},
                                                  headers=coordinator), 422)
                assert field in body["errors"]
        with subtests.test("missing fields"):
            assert set(assert_problem(client.post(url(patient["id"]), json={}, headers=coordinator), 422)["errors"]) \
                == {"substance_system", "substance_code", "substance_name"}
        with subtests.test("malformed JSON"):
            assert_problem(client.post(url(patient["id"]), data="{", content_type="application/json",
                                       headers=coordinator), 400)
        assert outbox(runtime, "patients.allergy-changed") == []

    def test_unknown_patient_is_404(self, client, coordinator):
        assert_problem(client.post(url(uuid.uuid4()), json=PENICILLIN, headers=coordinator), 404)

    def test_retry_with_idempotency_key_records_once(self, client, coordinator, runtime, patient):
        headers = {**coordinator, "Idempotency-Key": "allergy-penicillin-1"}
        assert client.post(url(patient["id"]), json=PENICILLIN, headers=headers).status_code == 201
        assert client.post(url(patient["id"]), json=PENICILLIN, headers=headers).status_code == 201
        assert len(outbox(runtime, "patients.allergy-changed")) == 1


class TestReadAndList:
    def test_read_is_audited(self, client, staff, coordinator, runtime, patient):
        allergy = staff.allergy(patient["id"])
        response = client.get(url(patient["id"], allergy["id"]), headers=coordinator)
        assert response.get_json() == allergy and response.headers["ETag"] == '"1"'
        [record] = audit_of(runtime, action="read", resource_type="allergy")
        assert (record["patient_id"], record["resource_id"]) == (patient["id"], allergy["id"])

    def test_list_filters_by_clinical_status(self, client, staff, coordinator, runtime, patient):
        active = staff.allergy(patient["id"])
        resolved = staff.allergy(patient["id"], substance_code="733", substance_name="Ampicillin",
                                 clinical_status="resolved")
        listed = client.get(url(patient["id"]), headers=coordinator).get_json()
        assert listed["total"] == 2 and {a["id"] for a in listed["items"]} == {active["id"], resolved["id"]}
        only_active = client.get(url(patient["id"]) + "?clinical_status=active", headers=coordinator).get_json()
        assert [a["id"] for a in only_active["items"]] == [active["id"]]
        assert len(audit_of(runtime, action="read", resource_type="allergy")) == 2

    def test_unknown_ids_are_404_and_bad_filters_422(self, client, staff, coordinator, patient):
        assert_problem(client.get(url(uuid.uuid4()), headers=coordinator), 404)
        assert_problem(client.get(url(patient["id"], uuid.uuid4()), headers=coordinator), 404)
        allergy_of_other = staff.allergy(staff.patient()["id"])
        assert_problem(client.get(url(patient["id"], allergy_of_other["id"]), headers=coordinator), 404)
        assert "query.clinical_status" in assert_problem(
            client.get(url(patient["id"]) + "?clinical_status=cured", headers=coordinator), 422)["errors"]

    def test_billing_staff_see_no_allergies_and_the_refusal_is_audited(self, client, staff, auth, runtime, patient):
        allergy = staff.allergy(patient["id"])
        assert_problem(client.get(url(patient["id"]), headers=auth("billing")), 403)
        assert_problem(client.get(url(patient["id"], allergy["id"]), headers=auth("billing")), 403)
        assert [r["outcome"] for r in audit_of(runtime, resource_type="allergy", roles="billing")] == ["denied"] * 2

    def test_no_service_reads_allergies(self, client, staff, auth, patient):
        # careplans learns allergies from patients.allergy-changed, never by calling.
        staff.allergy(patient["id"])
        assert_problem(client.get(url(patient["id"]), headers=auth("service", sub="careplans")), 403)


class TestChange:
    def test_change_publishes_the_new_revision(self, client, staff, coordinator, runtime, patient):
        allergy = staff.allergy(patient["id"])
        response = client.patch(url(patient["id"], allergy["id"]), headers={**coordinator, "If-Match": '"1"'},
                                json={"clinical_status": "resolved", "reaction": "Rash"})
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        assert response.get_json()["reaction"] == "Rash"
        event = outbox(runtime, "patients.allergy-changed")[-1]
        assert (event.data["revision"], event.data["clinical_status"]) == (2, "resolved")

    def test_the_substance_cannot_change(self, client, staff, coordinator, patient):
        allergy = staff.allergy(patient["id"])
        body = assert_problem(client.patch(url(patient["id"], allergy["id"]), json={"substance_code": "733"},
                                           headers={**coordinator, "If-Match": '"1"'}), 422)
        assert "substance_code" in body["errors"]

    def test_restoring_a_mistaken_record_over_a_newer_one_is_409(self, client, staff, coordinator, patient):
        mistaken = staff.allergy(patient["id"], verification_status="entered-in-error")
        staff.allergy(patient["id"])
        assert_problem(client.patch(url(patient["id"], mistaken["id"]), json={"verification_status": "confirmed"},
                                    headers={**coordinator, "If-Match": '"1"'}), 409)

    def test_if_match_rules_and_404(self, client, staff, coordinator, patient):
        allergy = staff.allergy(patient["id"])
        change = {"severity": "mild"}
        assert_problem(client.patch(url(patient["id"], allergy["id"]), json=change, headers=coordinator), 428)
        assert_problem(client.patch(url(patient["id"], allergy["id"]), json=change,
                                    headers={**coordinator, "If-Match": '"2"'}), 412)
        assert_problem(client.patch(url(patient["id"], uuid.uuid4()), json=change,
                                    headers={**coordinator, "If-Match": '"1"'}), 404)
        assert_problem(client.patch(url(patient["id"], allergy["id"]), json={"severity": "awful"},
                                    headers={**coordinator, "If-Match": '"1"'}), 422)

    def test_admins_read_but_do_not_record_allergies(self, client, staff, auth, patient):
        allergy = staff.allergy(patient["id"])
        assert client.get(url(patient["id"], allergy["id"]), headers=auth("admin")).status_code == 200
        assert_problem(client.patch(url(patient["id"], allergy["id"]), json={"severity": "mild"},
                                    headers={**auth("admin"), "If-Match": '"1"'}), 403)
