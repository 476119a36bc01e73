"""/practitioners: the staff directory."""
import uuid

from carebridge.testing import assert_problem, outbox
from support import practitioner_payload


class TestRegister:
    def test_registers_and_publishes_what_notifications_need(self, client, coordinator, runtime):
        response = client.post("/practitioners", headers=coordinator, json=practitioner_payload(
            "specialist", specialty="Cardiology", npi="1234567893",
            contact_points=[{"system": "sms", "value": "+1 312 555 0111", "use": "work"}]))
        assert response.status_code == 201 and response.headers["ETag"] == '"1"'
        body = response.get_json()
        assert response.headers["Location"] == f"/practitioners/{body['id']}"
        assert (body["role"], body["specialty"], body["active"], body["preferred_language"]) == \
            ("specialist", "Cardiology", True, "en")
        [event] = outbox(runtime, "patients.practitioner-changed")
        assert event.data == {"practitioner_id": body["id"], "revision": 1, "role": "specialist",
                              "specialty": "Cardiology", "active": True, "time_zone": "America/Chicago",
                              "preferred_language": "en",
                              "contact_points": [{"system": "sms", "value": "+13125550111", "use": "work"}]}

    def test_takes_the_identity_providers_subject_as_id(self, client, coordinator, auth):
        subject = str(uuid.uuid4())
        body = client.post("/practitioners", json=practitioner_payload("physician", id=subject),
                           headers=coordinator).get_json()
        assert body["id"] == subject
        assert client.get("/practitioners/me", headers=auth("physician", sub=subject)).get_json()["id"] == subject
        assert_problem(client.post("/practitioners", json=practitioner_payload("nurse", id=subject),
                                   headers=coordinator), 409)

    def test_duplicate_npi_is_409(self, client, coordinator):
        client.post("/practitioners", json=practitioner_payload("physician", npi="1234567893"), headers=coordinator)
        body = assert_problem(client.post("/practitioners", json=practitioner_payload("nurse", npi="1234567893"),
                                          headers=coordinator), 409)
        assert body["errors"] == {"npi": ["Already in use."]}

    def test_invalid_bodies_are_422_naming_the_field(self, client, coordinator, runtime, subtests):
        for change, field in [
            ({"role": "wizard"}, "role"),
            ({"role": "specialist", "specialty": None}, "specialty"),
            ({"npi": "1234567890"}, "npi"),
            ({"time_zone": "Moon/Tranquility"}, "time_zone"),
            ({"preferred_language": "english"}, "preferred_language"),
            ({"id": "not-a-uuid"}, "id"),
            ({"contact_points": [{"system": "phone", "value": "555-0111"}]}, "contact_points"),
        ]:
            with subtests.test(field=field):
                body = assert_problem(client.post("/practitioners", json={**practitioner_payload("nurse"), **change},
                                                  headers=coordinator), 422)
                assert field in body["errors"]
        with subtests.test("missing fields"):
            assert set(assert_problem(client.post("/practitioners", json={}, headers=coordinator), 422)["errors"]) \
                == {"given_name", "family_name", "role", "time_zone"}
        with subtests.test("malformed JSON"):
            assert_problem(client.post("/practitioners", data="nope", content_type="application/json",
                                       headers=coordinator), 400)
        assert outbox(runtime) == []

    def test_only_coordinators_and_admins_manage_the_directory(self, client, auth, subtests):
        for role in ("nurse", "physician", "billing"):
            with subtests.test(role=role):
                assert_problem(client.post("/practitioners", json=practitioner_payload(), headers=auth(role)), 403)
        assert_problem(client.post("/practitioners", json=practitioner_payload(),
                                   headers=auth("service", sub="scheduling")), 403)
        assert client.post("/practitioners", json=practitioner_payload(), headers=auth("admin")).status_code == 201


class TestLookup:
    def test_staff_look_people_up_by_name_role_specialty_and_activity(self, client, staff, auth, subtests):
        chen = staff.practitioner("specialist", given_name="Wei", family_name="Chén", specialty="Cardiology")
        okafor = staff.practitioner("nurse", given_name="Ngozi", family_name="Okafor")
        billing = staff.practitioner("billing", given_name="Sam", family_name="Okafor-Reyes")
        staff.client.patch(f"/practitioners/{billing['id']}", json={"active": False},
                           headers={**staff.coordinator, "If-Match": '"1"'})
        for query, expected in [
            ("q=okafor", [okafor, billing]),
            ("q=CHEN", [chen]),
            ("q=wei%20che", [chen]),
            ("role=nurse", [okafor]),
            ("specialty=cardiology", [chen]),
            ("q=okafor&active=true", [okafor]),
            ("active=false", [billing]),
            ("q=nobody", []),
        ]:
            with subtests.test(query=query):
                page = client.get(f"/practitioners?{query}", headers=auth("billing")).get_json()
                assert [p["id"] for p in page["items"]] == [p["id"] for p in expected]
                assert page["total"] == len(expected)

    def test_lookup_is_paginated_and_checks_its_query(self, client, staff, coordinator):
        for n in range(3):
            staff.practitioner("nurse", family_name=f"Nurse {n}")
        page = client.get("/practitioners?role=nurse&page=2&page_size=2", headers=coordinator).get_json()
        assert (page["total"], page["page"], [p["family_name"] for p in page["items"]]) == (3, 2, ["Nurse 2"])
        assert "query.role" in assert_problem(client.get("/practitioners?role=wizard", headers=coordinator),
                                              422)["errors"]

    def test_read_one_and_404(self, client, staff, auth):
        nurse = staff.practitioner("nurse")
        response = client.get(f"/practitioners/{nurse['id']}", headers=auth("billing"))
        assert response.get_json() == nurse and response.headers["ETag"] == '"1"'
        assert_problem(client.get(f"/practitioners/{uuid.uuid4()}", headers=auth("nurse")), 404)

    def test_me_is_404_for_a_token_outside_the_directory(self, client, auth):
        assert_problem(client.get("/practitioners/me", headers=auth("nurse", sub=uuid.uuid4())), 404)
        # No service looks staff up: a service identity is refused outright.
        assert_problem(client.get("/practitioners/me", headers=auth("service", sub="billing")), 403)

    def test_the_directory_needs_a_token(self, client):
        assert_problem(client.get("/practitioners"), 401)


class TestChange:
    def test_change_publishes_and_moves_the_etag(self, client, staff, coordinator, runtime):
        nurse = staff.practitioner("nurse")
        response = client.patch(f"/practitioners/{nurse['id']}", json={"time_zone": "Europe/Dublin"},
                                headers={**coordinator, "If-Match": '"1"'})
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        event = outbox(runtime, "patients.practitioner-changed")[-1]
        assert (event.data["revision"], event.data["time_zone"]) == (2, "Europe/Dublin")

    def test_becoming_a_specialist_needs_a_specialty(self, client, staff, coordinator):
        nurse = staff.practitioner("nurse")
        body = assert_problem(client.patch(f"/practitioners/{nurse['id']}", json={"role": "specialist"},
                                           headers={**coordinator, "If-Match": '"1"'}), 422)
        assert "specialty" in body["errors"]

    def test_if_match_rules_404_and_roles(self, client, staff, coordinator, auth):
        nurse = staff.practitioner("nurse")
        path = f"/practitioners/{nurse['id']}"
        assert_problem(client.patch(path, json={"active": False}, headers=coordinator), 428)
        assert_problem(client.patch(path, json={"active": False}, headers={**coordinator, "If-Match": '"9"'}), 412)
        assert_problem(client.patch(f"/practitioners/{uuid.uuid4()}", json={"active": False},
                                    headers={**coordinator, "If-Match": '"1"'}), 404)
        assert_problem(client.patch(path, json={"id": str(uuid.uuid4())}, headers={**coordinator, "If-Match": '"1"'}),
                       422)
        assert_problem(client.patch(path, json={"active": False}, headers={**auth("nurse"), "If-Match": '"1"'}), 403)


class TestLeavingTheDirectory:
    def test_deactivation_ends_memberships_and_lead_roles_and_with_them_access(self, client, staff, coordinator,
                                                                                runtime, patient, clock):
        lead = staff.practitioner("coordinator")
        nurse = staff.practitioner("nurse")
        team = staff.team(patient["id"], [nurse["id"], lead["id"]], lead_coordinator_id=lead["id"])
        planned = {"practitioner_id": nurse["id"], "period_start": clock.advance(days=30).isoformat()}
        other_team = staff.team(patient["id"], [planned], name="Cardiology", category="cardiology")
        clock.advance(days=-20)
        nurse_headers = staff.headers_of(nurse)
        assert client.get(f"/patients/{patient['id']}", headers=nurse_headers).status_code == 200

        for person in (nurse, lead):
            assert client.patch(f"/practitioners/{person['id']}", json={"active": False},
                                headers={**coordinator, "If-Match": '"1"'}).status_code == 200

        assert_problem(client.get(f"/patients/{patient['id']}", headers=nurse_headers), 403)
        first = client.get(f"/care-teams/{team['id']}", headers=coordinator).get_json()
        assert first["lead_coordinator_id"] is None
        assert {m["period_end"] for m in first["members"]} == {clock.now().isoformat()}
        second = client.get(f"/care-teams/{other_team['id']}", headers=coordinator).get_json()
        [called_off] = second["members"]
        assert called_off["period_end"] == called_off["period_start"] and not called_off["active"]
        changes = outbox(runtime, "patients.care-team-changed")
        changed_teams = [e.data["care_team_id"] for e in changes]
        assert changed_teams[:2] == [team["id"], other_team["id"]]  # formed
        assert sorted(changed_teams[2:4]) == sorted([team["id"], other_team["id"]])  # the nurse left both
        assert changed_teams[4:] == [team["id"]]  # the lead left hers
        assert changes[-1].data["revision"] == first["version"] == 3

    def test_an_inactive_practitioner_cannot_join_a_team(self, client, staff, coordinator, patient):
        nurse = staff.practitioner("nurse", active=False)
        body = assert_problem(client.post("/care-teams", headers=coordinator, json={
            "patient_id": patient["id"], "name": "Primary care", "members": [{"practitioner_id": nurse["id"]}]}), 422)
        assert body["errors"] == {"members": {"0": {"practitioner_id": ["This practitioner is inactive."]}}}
