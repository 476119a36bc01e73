"""/care-teams, /care-teams/{id}/members and /patients/{id}/care-teams."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from carebridge import access
from carebridge.testing import assert_problem, outbox
from support import audit_of


def team_events(runtime):
    return outbox(runtime, "patients.care-team-changed")


class TestForm:
    def test_forms_a_team_with_members_and_publishes_one_event_with_them(self, client, staff, coordinator, runtime,
                                                                         patient, clock):
        lead = staff.practitioner("coordinator")
        nurse = staff.practitioner("nurse")
        cardiologist = staff.practitioner("specialist")
        starts = (clock.now() + timedelta(days=7)).isoformat()
        response = client.post("/care-teams", headers=coordinator, json={
            "patient_id": patient["id"], "name": "Cardiology", "category": "cardiology",
            "lead_coordinator_id": lead["id"],
            "members": [{"practitioner_id": nurse["id"]},
                        {"practitioner_id": cardiologist["id"], "role": "physician", "period_start": starts}]})
        assert response.status_code == 201 and response.headers["ETag"] == '"1"'
        team = response.get_json()
        assert response.headers["Location"] == f"/care-teams/{team['id']}"
        assert (team["status"], team["lead_coordinator_id"], team["version"]) == ("active", lead["id"], 1)
        members = {m["practitioner_id"]: m for m in team["members"]}
        assert members[nurse["id"]]["role"] == "nurse" and members[nurse["id"]]["active"] is True
        assert members[nurse["id"]]["period_start"] == clock.now().isoformat()
        assert members[cardiologist["id"]]["role"] == "physician" and members[cardiologist["id"]]["active"] is False
        [event] = team_events(runtime)
        assert event.data["care_team_id"] == team["id"] and event.data["revision"] == 1
        assert event.data["category"] == "cardiology" and event.data["lead_coordinator_id"] == lead["id"]
        assert sorted((m["practitioner_id"], m["role"], m["period_start"]) for m in event.data["members"]) == \
            sorted((m["practitioner_id"], m["role"], m["period_start"]) for m in team["members"])

    def test_a_proposed_team_gives_no_access_yet(self, client, staff, patient):
        nurse = staff.practitioner("nurse")
        staff.team(patient["id"], [nurse["id"]], status="proposed")
        assert_problem(client.get(f"/patients/{patient['id']}", headers=staff.headers_of(nurse)), 403)

    def test_is_audited_as_a_create_for_the_patient(self, client, staff, runtime, patient):
        staff.team(patient["id"])
        [record] = audit_of(runtime, action="create", resource_type="care-team")
        assert record["patient_id"] == patient["id"]

    def test_invalid_bodies_are_422_naming_the_field(self, client, staff, coordinator, runtime, patient, subtests):
        nurse = staff.practitioner("nurse")
        valid = {"patient_id": patient["id"], "name": "Primary care"}
        for change, errors in [
            ({"patient_id": str(uuid.uuid4())}, {"patient_id": ["No patient with this id."]}),
            ({"status": "suspended"}, None),
            ({"category": "Primary Care"}, None),
            ({"lead_coordinator_id": nurse["id"]},
             {"lead_coordinator_id": ["This practitioner is not a coordinator."]}),
            ({"lead_coordinator_id": str(uuid.uuid4())}, {"lead_coordinator_id": ["No practitioner with this id."]}),
            ({"members": [{"practitioner_id": str(uuid.uuid4())}]},
             {"members": {"0": {"practitioner_id": ["No practitioner with this id."]}}}),
            ({"members": [{"practitioner_id": nurse["id"], "role": "janitor"}]}, None),
            ({"members": [{"practitioner_id": nurse["id"], "period_start": "2026-03-02T10:00:00"}]}, None),
            ({"members": [{"practitioner_id": nurse["id"], "period_start": "2026-03-02T10:00:00+00:00",
                           "period_end": "2026-03-01T10:00:00+00:00"}]},
             {"members": {"0": {"period_end": ["A period cannot end before it starts."]}}}),
        ]:
            with subtests.test(change=change):
                body = assert_problem(client.post("/care-teams", json={**valid, **change}, headers=coordinator), 422)
                if errors is None:
                    assert set(body["errors"]) == set(change)
                else:
                    assert body["errors"] == errors
        with subtests.test("missing fields"):
            assert set(assert_problem(client.post("/care-teams", json={}, headers=coordinator), 422)["errors"]) == \
                {"patient_id", "name"}
        with subtests.test("malformed JSON"):
            assert_problem(client.post("/care-teams", data="{]", content_type="application/json",
                                       headers=coordinator), 400)
        assert team_events(runtime) == []

    def test_the_same_practitioner_twice_in_one_period_is_409(self, client, staff, coordinator, runtime, patient):
        nurse = staff.practitioner("nurse")
        assert_problem(client.post("/care-teams", headers=coordinator, json={
            "patient_id": patient["id"], "name": "Primary care",
            "members": [{"practitioner_id": nurse["id"]}, {"practitioner_id": nurse["id"], "role": "other"}]}), 409)
        assert team_events(runtime) == []

    def test_nurses_do_not_form_teams(self, client, patient, team_nurse):
        assert_problem(client.post("/care-teams", json={"patient_id": patient["id"], "name": "Mine"},
                                   headers=team_nurse), 403)


class TestReadAndFind:
    def test_read_with_etag_and_audit(self, client, staff, coordinator, runtime, patient):
        team = staff.team(patient["id"], [staff.practitioner("nurse")["id"]])
        response = client.get(f"/care-teams/{team['id']}", headers=coordinator)
        assert response.get_json() == team and response.headers["ETag"] == '"1"'
        [record] = audit_of(runtime, action="read", resource_type="care-team")
        assert (record["patient_id"], record["resource_id"]) == (patient["id"], team["id"])
        assert_problem(client.get(f"/care-teams/{uuid.uuid4()}", headers=coordinator), 404)

    def test_billing_sees_who_is_on_a_team_but_not_what_it_is_for(self, client, staff, auth, patient):
        team = staff.team(patient["id"], [staff.practitioner("nurse")["id"]], name="Oncology", category="oncology")
        listed = client.get(f"/patients/{patient['id']}/care-teams", headers=auth("billing")).get_json()
        for body in (client.get(f"/care-teams/{team['id']}", headers=auth("billing")).get_json(), listed["items"][0]):
            assert "name" not in body and "category" not in body
            assert body["members"] == team["members"] and body["status"] == "active"

    def test_a_patients_teams_are_listed_and_filtered(self, client, staff, coordinator, runtime, patient):
        primary = staff.team(patient["id"])
        cardiology = staff.team(patient["id"], name="Cardiology", category="cardiology", status="proposed")
        staff.team(staff.patient()["id"])
        listed = client.get(f"/patients/{patient['id']}/care-teams", headers=coordinator).get_json()
        assert {t["id"] for t in listed["items"]} == {primary["id"], cardiology["id"]} and listed["total"] == 2
        proposed = client.get(f"/patients/{patient['id']}/care-teams?status=proposed", headers=coordinator).get_json()
        assert [t["id"] for t in proposed["items"]] == [cardiology["id"]]
        assert len(audit_of(runtime, action="read", resource_type="care-team", patient_id=patient["id"])) == 2
        assert_problem(client.get(f"/patients/{uuid.uuid4()}/care-teams", headers=coordinator), 404)
        assert_problem(client.get(f"/patients/{patient['id']}/care-teams?status=done", headers=coordinator), 422)

    def test_find_my_teams(self, client, staff, coordinator, runtime, patient, clock):
        nurse = staff.practitioner("nurse")
        mine = staff.team(patient["id"], [nurse["id"]])
        other_patient = staff.patient()
        staff.team(other_patient["id"], [{"practitioner_id": nurse["id"],
                                          "period_start": (clock.now() - timedelta(days=9)).isoformat(),
                                          "period_end": (clock.now() - timedelta(days=1)).isoformat()}])
        staff.team(other_patient["id"], [staff.practitioner("nurse")["id"]])
        found = client.get(f"/care-teams?member={nurse['id']}", headers=staff.headers_of(nurse)).get_json()
        assert [t["id"] for t in found["items"]] == [mine["id"]]
        everything = client.get("/care-teams", headers=coordinator).get_json()
        assert everything["total"] == 3
        by_patient = client.get(f"/care-teams?patient_id={other_patient['id']}&status=active",
                                headers=coordinator).get_json()
        assert by_patient["total"] == 2
        # A search record for each patient whose teams each answer showed
        # (once per answer, however many of their teams it had).
        searches = audit_of(runtime, action="search", resource_type="care-team")
        assert [r["outcome"] for r in searches] == ["success"] * 4
        assert sorted(r["patient_id"] for r in searches) == sorted(
            [patient["id"], patient["id"], other_patient["id"], other_patient["id"]])

    def test_a_nurse_finds_only_teams_of_her_own_patients(self, client, staff, patient, team_nurse):
        staff.team(staff.patient()["id"])
        found = client.get("/care-teams", headers=team_nurse).get_json()
        assert found["total"] == 1 and found["items"][0]["patient_id"] == patient["id"]

    def test_find_checks_its_query_and_refuses_billing(self, client, coordinator, auth):
        assert "query.member" in assert_problem(client.get("/care-teams?member=me", headers=coordinator),
                                                422)["errors"]
        assert_problem(client.get("/care-teams", headers=auth("billing")), 403)


class TestChangeTeam:
    def patch(self, client, headers, team_id, body, etag='"1"'):
        return client.patch(f"/care-teams/{team_id}", json=body, headers={**headers, "If-Match": etag})

    def test_status_and_lead_changes_publish_one_event_each(self, client, staff, coordinator, runtime, patient):
        team = staff.team(patient["id"], status="proposed")
        lead = staff.practitioner("coordinator")
        response = self.patch(client, coordinator, team["id"], {"status": "active", "lead_coordinator_id": lead["id"]})
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        assert self.patch(client, coordinator, team["id"], {"status": "suspended", "name": "Primary"},
                          '"2"').status_code == 200
        assert [(e.data["revision"], e.data["status"], e.data["lead_coordinator_id"]) for e in team_events(runtime)] \
            == [(1, "proposed", None), (2, "active", lead["id"]), (3, "suspended", lead["id"])]

    def test_suspending_the_team_suspends_its_members_access(self, client, staff, coordinator, patient):
        nurse = staff.practitioner("nurse")
        team = staff.team(patient["id"], [nurse["id"]])
        assert client.get(f"/patients/{patient['id']}", headers=staff.headers_of(nurse)).status_code == 200
        self.patch(client, coordinator, team["id"], {"status": "suspended"})
        assert_problem(client.get(f"/patients/{patient['id']}", headers=staff.headers_of(nurse)), 403)

    def test_an_inactive_team_is_closed_for_good(self, client, staff, coordinator, runtime, patient):
        team = staff.team(patient["id"])
        self.patch(client, coordinator, team["id"], {"status": "inactive"})
        body = assert_problem(self.patch(client, coordinator, team["id"], {"status": "active"}, '"2"'), 409)
        assert body["allowed"] == []
        assert_problem(client.post(f"/care-teams/{team['id']}/members", headers=coordinator,
                                   json={"practitioner_id": staff.practitioner("nurse")["id"]}), 409)
        assert len(team_events(runtime)) == 2

    def test_a_change_that_changes_nothing_publishes_nothing(self, client, staff, coordinator, runtime, patient):
        team = staff.team(patient["id"])
        response = self.patch(client, coordinator, team["id"], {"name": team["name"], "status": "active"})
        assert response.status_code == 200 and response.headers["ETag"] == '"1"'
        assert len(team_events(runtime)) == 1

    def test_invalid_changes(self, client, staff, coordinator, patient, subtests):
        team = staff.team(patient["id"])
        for body, status in [({"status": "done"}, 422), ({"lead_coordinator_id": str(uuid.uuid4())}, 422),
                             ({"patient_id": str(uuid.uuid4())}, 422), ({"name": ""}, 422)]:
            with subtests.test(body=body):
                assert_problem(self.patch(client, coordinator, team["id"], body), status)
        assert_problem(client.patch(f"/care-teams/{team['id']}", json={"name": "x"}, headers=coordinator), 428)
        assert_problem(self.patch(client, coordinator, team["id"], {"name": "x"}, '"5"'), 412)
        assert_problem(self.patch(client, coordinator, uuid.uuid4(), {"name": "x"}), 404)


class TestMembers:
    def members_url(self, team_id, membership_id=None):
        return f"/care-teams/{team_id}/members" + (f"/{membership_id}" if membership_id else "")

    def test_adding_a_member_publishes_the_full_membership_once(self, client, staff, coordinator, runtime, patient):
        first = staff.practitioner("nurse")
        team = staff.team(patient["id"], [first["id"]])
        therapist = staff.practitioner("therapist")
        response = client.post(self.members_url(team["id"]), json={"practitioner_id": therapist["id"]},
                               headers=coordinator)
        assert response.status_code == 201 and response.headers["ETag"] == '"1"'
        member = response.get_json()
        assert response.headers["Location"] == self.members_url(team["id"], member["id"])
        assert member["role"] == "therapist" and member["active"] is True
        events = team_events(runtime)
        assert len(events) == 2 and events[-1].data["revision"] == 2
        assert {m["practitioner_id"] for m in events[-1].data["members"]} == {first["id"], therapist["id"]}
        assert client.get(f"/care-teams/{team['id']}", headers=coordinator).headers["ETag"] == '"2"'

    def test_ending_a_membership_keeps_it_in_the_membership_with_its_end(self, client, staff, coordinator, runtime,
                                                                          patient, clock):
        nurse = staff.practitioner("nurse")
        team = staff.team(patient["id"], [nurse["id"]])
        [member] = team["members"]
        clock.advance(days=10)
        ended_now = {"period_end": clock.now().isoformat()}
        response = client.patch(self.members_url(team["id"], member["id"]), json=ended_now,
                                headers={**coordinator, "If-Match": '"1"'})
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        assert response.get_json()["active"] is False
        [ended] = team_events(runtime)[-1].data["members"]
        assert ended["membership_id"] == member["id"] and ended["period_end"] == clock.now().isoformat()
        assert_problem(client.get(f"/patients/{patient['id']}", headers=staff.headers_of(nurse)), 403)

    def test_rejoining_after_the_end_is_a_new_membership(self, client, staff, coordinator, patient, clock):
        nurse = staff.practitioner("nurse")
        team = staff.team(patient["id"], [{"practitioner_id": nurse["id"],
                                           "period_start": (clock.now() - timedelta(days=9)).isoformat(),
                                           "period_end": (clock.now() - timedelta(days=2)).isoformat()}])
        overlapping = {"practitioner_id": nurse["id"], "period_start": (clock.now() - timedelta(days=3)).isoformat()}
        body = assert_problem(client.post(self.members_url(team["id"]), json=overlapping, headers=coordinator), 409)
        assert body["membership_id"] == team["members"][0]["id"]
        assert client.post(self.members_url(team["id"]), json={"practitioner_id": nurse["id"]},
                           headers=coordinator).status_code == 201

    def test_changing_the_role(self, client, staff, coordinator, runtime, patient):
        team = staff.team(patient["id"], [staff.practitioner("physician")["id"]])
        [member] = team["members"]
        response = client.patch(self.members_url(team["id"], member["id"]), json={"role": "specialist"},
                                headers={**coordinator, "If-Match": '"1"'})
        assert response.get_json()["role"] == "specialist"
        assert team_events(runtime)[-1].data["members"][0]["role"] == "specialist"

    def test_read_a_membership(self, client, staff, coordinator, runtime, patient):
        team = staff.team(patient["id"], [staff.practitioner("nurse")["id"]])
        [member] = team["members"]
        response = client.get(self.members_url(team["id"], member["id"]), headers=coordinator)
        assert response.get_json() == member and response.headers["ETag"] == '"1"'
        [record] = audit_of(runtime, action="read", resource_type="care-team-membership")
        assert (record["patient_id"], record["resource_id"]) == (patient["id"], member["id"])
        assert_problem(client.get(self.members_url(team["id"], uuid.uuid4()), headers=coordinator), 404)
        assert_problem(client.get(self.members_url(uuid.uuid4(), member["id"]), headers=coordinator), 404)

    def test_membership_validation_and_concurrency(self, client, staff, coordinator, runtime, patient, subtests):
        team = staff.team(patient["id"], [staff.practitioner("nurse")["id"]])
        [member] = team["members"]
        path = self.members_url(team["id"], member["id"])
        if_match = {**coordinator, "If-Match": '"1"'}
        cases = [
            (client.patch, path, {"period_end": "2026-01-01T00:00:00+00:00"}, if_match, 422),
            (client.patch, path, {"role": "wizard"}, if_match, 422),
            (client.patch, path, {"practitioner_id": str(uuid.uuid4())}, if_match, 422),
            (client.patch, path, {"role": "other"}, coordinator, 428),
            (client.patch, path, {"role": "other"}, {**coordinator, "If-Match": '"4"'}, 412),
            (client.patch, self.members_url(team["id"], uuid.uuid4()), {"role": "other"}, if_match, 404),
            (client.post, self.members_url(team["id"]), {}, coordinator, 422),
            (client.post, self.members_url(team["id"]), {"practitioner_id": str(uuid.uuid4())}, coordinator, 422),
            (client.post, self.members_url(uuid.uuid4()), {"practitioner_id": member["practitioner_id"]},
             coordinator, 404),
        ]
        for call, url, body, headers, status in cases:
            with subtests.test(url=url, body=body, status=status):
                assert_problem(call(url, json=body, headers=headers), status)
        assert len(team_events(runtime)) == 1

    def test_team_members_do_not_manage_their_team(self, client, staff, patient, team_nurse):
        [team] = client.get(f"/patients/{patient['id']}/care-teams", headers=team_nurse).get_json()["items"]
        [member] = team["members"]
        assert_problem(client.post(self.members_url(team["id"]), json={"practitioner_id": member["practitioner_id"]},
                                   headers=team_nurse), 403)
        assert_problem(client.patch(self.members_url(team["id"], member["id"]), json={"role": "other"},
                                    headers={**team_nurse, "If-Match": '"1"'}), 403)


class TestConcurrentChanges:
    def test_changes_at_the_same_moment_queue_up_and_each_gets_its_own_revision(self, app, staff, coordinator,
                                                                               runtime, patient):
        team = staff.team(patient["id"])
        newcomers = [staff.practitioner(role)["id"] for role in ("nurse", "physician", "therapist", "pharmacist")]
        start = threading.Barrier(len(newcomers))

        def add(practitioner_id):
            start.wait()
            return app.test_client().post(f"/care-teams/{team['id']}/members",
                                          json={"practitioner_id": practitioner_id}, headers=coordinator).status_code

        with ThreadPoolExecutor(len(newcomers)) as pool:
            assert list(pool.map(add, newcomers)) == [201] * len(newcomers)
        events = team_events(runtime)
        assert [e.data["revision"] for e in events] == [1, 2, 3, 4, 5]
        assert [len(e.data["members"]) for e in events] == [0, 1, 2, 3, 4]
        with runtime.db.transaction() as session:
            [held] = access.care_teams_of(session, uuid.UUID(patient["id"]))
        assert held["revision"] == 5

    def test_withdrawals_at_the_same_moment_are_both_honoured_once(self, app, staff, coordinator, runtime, patient):
        person = staff.related_person(patient["id"], consent={"appointments": True, "care_plan": True,
                                                              "billing": True})
        start = threading.Barrier(2)

        def withdraw(_):
            start.wait()
            return app.test_client().post(f"/patients/{patient['id']}/related-persons/{person['id']}"
                                          "/consent-withdrawal", headers=coordinator).status_code

        with ThreadPoolExecutor(2) as pool:
            assert list(pool.map(withdraw, range(2))) == [200, 200]
        assert [e.data["revision"] for e in outbox(runtime, "patients.related-person-changed")] == [1, 2]
