"""/patients/{id}/related-persons: family, caregivers, consent."""
import uuid
from datetime import timedelta

from carebridge.auth import DEV_SUBJECTS
from carebridge.testing import assert_problem, outbox
from support import audit_of


def url(patient_id, person_id=None, tail=""):
    base = f"/patients/{patient_id}/related-persons"
    return (f"{base}/{person_id}" if person_id else base) + tail


class TestAdd:
    def test_adds_with_consent_recorded_as_given_by_the_caller_now(self, client, staff, runtime, patient, clock):
        coordinator = staff.practitioner("coordinator")
        response = client.post(url(patient["id"]), headers=staff.headers_of(coordinator), json={
            "given_name": "María", "family_name": "Muñoz", "relationship": "daughter",
            "contact_points": [{"system": "sms", "value": "+1 773 555 0100"}],
            "communication": {"preferred_channel": "sms", "sms_consent": True},
            "consent": {"appointments": True, "care_plan": True, "billing": False}})
        assert response.status_code == 201 and response.headers["ETag"] == '"1"'
        body = response.get_json()
        assert response.headers["Location"] == url(patient["id"], body["id"])
        assert body["consent"] == {"appointments": True, "care_plan": True, "billing": False,
                                   "recorded_by": coordinator["id"], "recorded_at": clock.now().isoformat(),
                                   "withdrawn_by": None, "withdrawn_at": None}
        assert body["contact_points"] == [{"system": "sms", "value": "+17735550100", "use": None}]
        [event] = outbox(runtime, "patients.related-person-changed")
        assert event.data["related_person_id"] == body["id"] and event.data["patient_id"] == patient["id"]
        assert event.data["relationship"] == "daughter" and event.data["revision"] == 1
        assert event.data["consent"]["appointments"] is True
        assert event.data["consent"]["recorded_by"] == coordinator["id"]
        assert "María" not in event.to_json() and "Muñoz" not in event.to_json()

    def test_without_consent_nothing_may_be_shared(self, client, staff, patient):
        body = staff.related_person(patient["id"])
        assert body["consent"] == {"appointments": False, "care_plan": False, "billing": False, "recorded_by": None,
                                   "recorded_at": None, "withdrawn_by": None, "withdrawn_at": None}

    def test_is_audited_as_a_create(self, client, staff, runtime, patient):
        person = staff.related_person(patient["id"])
        [record] = audit_of(runtime, action="create", resource_type="related-person")
        assert (record["patient_id"], record["resource_id"], record["outcome"]) == (patient["id"], None, "success")

    def test_invalid_bodies_are_422_naming_the_field(self, client, coordinator, runtime, patient, subtests):
        valid = {"given_name": "Ana", "family_name": "Ruiz", "relationship": "spouse"}
        for change, field in [
            ({"relationship": "neighbour"}, "relationship"),
            ({"given_name": None}, "given_name"),
            ({"time_zone": "Europe/Atlantis"}, "time_zone"),
            ({"consent": {"appointments": "maybe", "care_plan": True, "billing": False}}, "consent"),
            ({"consent": {"appointments": True}}, "consent"),
            ({"contact_points": [{"system": "email", "value": "ana"}]}, "contact_points"),
            ({"communication": {"preferred_channel": "email"}}, "contact_points"),
        ]:
            with subtests.test(field=field, change=change):
                body = assert_problem(client.post(url(patient["id"]), json={**valid, **change},
                                                  headers=coordinator), 422)
                assert field in body["errors"]
        with subtests.test("missing fields"):
            assert set(assert_problem(client.post(url(patient["id"]), json={}, headers=coordinator), 422)["errors"]) \
                == {"given_name", "family_name", "relationship"}
        with subtests.test("malformed JSON"):
            assert_problem(client.post(url(patient["id"]), data="[", content_type="application/json",
                                       headers=coordinator), 400)
        assert outbox(runtime, "patients.related-person-changed") == []

    def test_unknown_patient_is_404(self, client, coordinator):
        assert_problem(client.post(url(uuid.uuid4()), json={"given_name": "A", "family_name": "B",
                                                            "relationship": "son"}, headers=coordinator), 404)
        assert_problem(client.get(url(uuid.uuid4()), headers=coordinator), 404)


class TestReadAndList:
    def test_read_with_etag_and_audit(self, client, staff, coordinator, runtime, patient):
        person = staff.related_person(patient["id"])
        response = client.get(url(patient["id"], person["id"]), headers=coordinator)
        assert response.status_code == 200 and response.get_json() == person and response.headers["ETag"] == '"1"'
        [record] = audit_of(runtime, action="read", patient_id=patient["id"])
        assert (record["resource_type"], record["resource_id"]) == ("related-person", person["id"])

    def test_a_person_of_another_patient_is_404_under_this_one(self, client, staff, coordinator, patient):
        other = staff.patient()
        person = staff.related_person(other["id"])
        assert_problem(client.get(url(patient["id"], person["id"]), headers=coordinator), 404)
        assert_problem(client.get(url(patient["id"], uuid.uuid4()), headers=coordinator), 404)

    def test_list_is_paginated_filtered_and_audited_once(self, client, staff, coordinator, runtime, patient):
        ana = staff.related_person(patient["id"], given_name="Ana")
        bea = staff.related_person(patient["id"], given_name="Bea")
        client.patch(url(patient["id"], ana["id"]), json={"active": False}, headers={**coordinator, "If-Match": '"1"'})
        page = client.get(url(patient["id"]) + "?page=2&page_size=1", headers=coordinator).get_json()
        assert (page["total"], page["page"], [p["id"] for p in page["items"]]) == (2, 2, [bea["id"]])
        active = client.get(url(patient["id"]) + "?active=true", headers=coordinator).get_json()
        assert [p["id"] for p in active["items"]] == [bea["id"]]
        assert len(audit_of(runtime, action="read", resource_type="related-person")) == 2

    def test_list_of_unknown_patient_is_404_and_bad_query_422(self, client, coordinator, patient):
        assert_problem(client.get(url(uuid.uuid4()), headers=coordinator), 404)
        assert "query.active" in assert_problem(client.get(url(patient["id"]) + "?active=perhaps",
                                                           headers=coordinator), 422)["errors"]

    def test_billing_staff_see_family_contacts(self, client, staff, auth, patient):
        person = staff.related_person(patient["id"])
        assert client.get(url(patient["id"], person["id"]), headers=auth("billing")).status_code == 200
        assert client.get(url(patient["id"]), headers=auth("billing")).get_json()["total"] == 1


class TestChange:
    def test_changes_details_and_publishes(self, client, staff, coordinator, runtime, patient):
        person = staff.related_person(patient["id"])
        response = client.patch(url(patient["id"], person["id"]), headers={**coordinator, "If-Match": '"1"'},
                                json={"relationship": "caregiver", "time_zone": "America/Denver"})
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        assert response.get_json()["relationship"] == "caregiver"
        event = outbox(runtime, "patients.related-person-changed")[-1]
        assert (event.data["revision"], event.data["relationship"], event.data["time_zone"]) == \
            (2, "caregiver", "America/Denver")

    def test_deactivation_is_published(self, client, staff, coordinator, runtime, patient):
        person = staff.related_person(patient["id"])
        client.patch(url(patient["id"], person["id"]), json={"active": False},
                     headers={**coordinator, "If-Match": '"1"'})
        assert outbox(runtime, "patients.related-person-changed")[-1].data["active"] is False

    def test_consent_cannot_be_changed_here(self, client, staff, coordinator, patient):
        person = staff.related_person(patient["id"])
        consent = {"appointments": True, "care_plan": True, "billing": True}
        body = assert_problem(client.patch(url(patient["id"], person["id"]), json={"consent": consent},
                                           headers={**coordinator, "If-Match": '"1"'}), 422)
        assert "consent" in body["errors"]

    def test_if_match_rules(self, client, staff, coordinator, patient):
        person = staff.related_person(patient["id"])
        assert_problem(client.patch(url(patient["id"], person["id"]), json={"active": False}, headers=coordinator), 428)
        assert_problem(client.patch(url(patient["id"], person["id"]), json={"active": False},
                                    headers={**coordinator, "If-Match": '"0"'}), 412)
        assert_problem(client.patch(url(patient["id"], uuid.uuid4()), json={"active": False},
                                    headers={**coordinator, "If-Match": '"1"'}), 404)

    def test_billing_cannot_change_family_details(self, client, staff, auth, patient):
        person = staff.related_person(patient["id"])
        assert_problem(client.patch(url(patient["id"], person["id"]), json={"active": False},
                                    headers={**auth("billing"), "If-Match": '"1"'}), 403)


class TestConsent:
    def test_recording_consent_records_who_and_when_and_publishes(self, client, staff, runtime, patient, team_nurse,
                                                                   clock):
        person = staff.related_person(patient["id"])
        clock.advance(hours=1)
        response = client.put(url(patient["id"], person["id"], "/consent"), headers={**team_nurse, "If-Match": '"1"'},
                              json={"appointments": True, "care_plan": False, "billing": True})
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        consent = response.get_json()["consent"]
        nurse_id = team_nurse_id(staff, team_nurse)
        assert (consent["appointments"], consent["care_plan"], consent["billing"]) == (True, False, True)
        assert consent["recorded_by"] == nurse_id and consent["recorded_at"] == clock.now().isoformat()
        event = outbox(runtime, "patients.related-person-changed")[-1]
        assert event.data["consent"]["billing"] is True and event.data["consent"]["recorded_by"] == nurse_id

    def test_withdrawal_is_honoured_from_then_on_and_needs_no_if_match(self, client, staff, coordinator, runtime,
                                                                     patient, clock):
        person = staff.related_person(patient["id"], consent={"appointments": True, "care_plan": True,
                                                              "billing": True})
        clock.advance(days=2)
        response = client.post(url(patient["id"], person["id"], "/consent-withdrawal"), headers=coordinator)
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        consent = response.get_json()["consent"]
        assert (consent["appointments"], consent["care_plan"], consent["billing"]) == (False, False, False)
        assert consent["withdrawn_at"] == clock.now().isoformat()
        assert consent["recorded_at"] == (clock.now() - timedelta(days=2)).isoformat()
        event = outbox(runtime, "patients.related-person-changed")[-1]
        assert event.data["revision"] == 2
        published = event.data["consent"]
        assert (published["appointments"], published["care_plan"], published["billing"]) == (False, False, False)
        assert (published["withdrawn_by"], published["withdrawn_at"]) == (DEV_SUBJECTS["coordinator"],
                                                                          clock.now().isoformat())
        later = client.get(url(patient["id"], person["id"]), headers=coordinator).get_json()["consent"]
        assert later == consent

    def test_withdrawing_again_changes_nothing(self, client, staff, coordinator, runtime, patient):
        person = staff.related_person(patient["id"], consent={"appointments": True, "care_plan": False,
                                                              "billing": False})
        client.post(url(patient["id"], person["id"], "/consent-withdrawal"), headers=coordinator)
        again = client.post(url(patient["id"], person["id"], "/consent-withdrawal"), headers=coordinator)
        assert again.status_code == 200 and again.headers["ETag"] == '"2"'
        assert len(outbox(runtime, "patients.related-person-changed")) == 2

    def test_a_new_consent_after_withdrawal_lifts_it(self, client, staff, coordinator, patient):
        person = staff.related_person(patient["id"], consent={"appointments": True, "care_plan": False,
                                                              "billing": False})
        client.post(url(patient["id"], person["id"], "/consent-withdrawal"), headers=coordinator)
        consent = client.put(url(patient["id"], person["id"], "/consent"), headers={**coordinator, "If-Match": '"2"'},
                             json={"appointments": True, "care_plan": True, "billing": False}).get_json()["consent"]
        assert consent["withdrawn_at"] is None and consent["appointments"] and consent["care_plan"]

    def test_consent_needs_every_scope_and_if_match(self, client, staff, coordinator, patient):
        person = staff.related_person(patient["id"])
        consent_url = url(patient["id"], person["id"], "/consent")
        body = assert_problem(client.put(consent_url, json={"appointments": True},
                                         headers={**coordinator, "If-Match": '"1"'}), 422)
        assert set(body["errors"]) == {"care_plan", "billing"}
        scopes = {"appointments": True, "care_plan": True, "billing": True}
        assert_problem(client.put(consent_url, json=scopes, headers=coordinator), 428)
        assert_problem(client.put(consent_url, json=scopes, headers={**coordinator, "If-Match": '"3"'}), 412)
        assert_problem(client.put(url(patient["id"], uuid.uuid4(), "/consent"), json=scopes,
                                  headers={**coordinator, "If-Match": '"1"'}), 404)
        assert_problem(client.post(url(patient["id"], uuid.uuid4(), "/consent-withdrawal"), headers=coordinator), 404)

    def test_billing_cannot_record_or_withdraw_consent(self, client, staff, auth, patient):
        person = staff.related_person(patient["id"])
        assert_problem(client.put(url(patient["id"], person["id"], "/consent"),
                                  json={"appointments": True, "care_plan": True, "billing": True},
                                  headers={**auth("billing"), "If-Match": '"1"'}), 403)
        assert_problem(client.post(url(patient["id"], person["id"], "/consent-withdrawal"), headers=auth("billing")),
                       403)


def team_nurse_id(staff, headers) -> str:
    return staff.client.get("/practitioners/me", headers=headers).get_json()["id"]
