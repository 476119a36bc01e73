"""/preferences: per person, with If-Match; staff own theirs, the care team
manages a patient's and their family's."""
import uuid

from carebridge.testing import assert_problem
from support import audit_since, patient_updated


def staff_url(world, who=None):
    return f"/preferences/practitioners/{who or world.nurse}"


def put(client, url, body, headers, etag):
    return client.put(url, json=body, headers={**headers, "If-Match": etag})


class TestStaffPreferences:
    def test_defaults_before_anything_is_stored(self, client, auth, world):
        response = client.get(staff_url(world), headers=auth("nurse", sub=world.nurse))
        assert response.status_code == 200 and response.headers["ETag"] == '"0"'
        body = response.get_json()
        assert (body["opted_out"], body["quiet_hours"], body["channels"], body["sms_consent"]) == (False, None, {},
                                                                                                  False)
        assert body["effective_channels"]["appointments"] == {"routine": ["inapp"], "urgent": ["inapp", "email"]}

    def test_replace_with_if_match_then_the_etag_moves(self, client, auth, runtime, world, clock):
        headers = auth("nurse", sub=world.nurse)
        body = {"quiet_hours": {"start": "22:00", "end": "07:00"}, "sms_consent": True,
                "channels": {"tasks": ["email", "sms"]}}
        response = put(client, staff_url(world), body, headers, '"0"')
        assert response.status_code == 200 and response.headers["ETag"] == '"1"'
        stored = response.get_json()
        assert stored["quiet_hours"] == {"start": "22:00", "end": "07:00"}
        assert stored["sms_consent"] is True and stored["sms_consent_recorded_by"] == str(world.nurse)
        assert stored["sms_consent_recorded_at"] == clock.now().isoformat()
        assert stored["effective_channels"]["tasks"]["routine"] == ["inapp", "email", "sms"]
        assert client.get(staff_url(world), headers=headers).headers["ETag"] == '"1"'
        assert audit_since(runtime) == []  # a practitioner's own settings are not patient data

    def test_without_if_match_is_428_and_stale_is_412(self, client, auth, world):
        headers = auth("nurse", sub=world.nurse)
        assert_problem(client.put(staff_url(world), json={"opted_out": True}, headers=headers), 428)
        assert put(client, staff_url(world), {"opted_out": True}, headers, '"0"').status_code == 200
        assert_problem(put(client, staff_url(world), {"opted_out": False}, headers, '"0"'), 412)
        assert client.get(staff_url(world), headers=headers).get_json()["opted_out"] is True

    def test_sms_without_consent_is_refused_and_nothing_stored(self, client, auth, world):
        headers = auth("nurse", sub=world.nurse)
        body = assert_problem(put(client, staff_url(world), {"channels": {"tasks": ["sms"]}}, headers, '"0"'), 422)
        assert "consent" in str(body["errors"])
        assert client.get(staff_url(world), headers=headers).headers["ETag"] == '"0"'

    def test_invalid_documents_are_422_and_nothing_is_stored(self, client, auth, world):
        headers = auth("nurse", sub=world.nurse)
        for bad in ({"channels": {"tasks": ["pager"]}}, {"channels": {"gossip": ["email"]}},
                    {"quiet_hours": {"start": "25:00", "end": "07:00"}}, {"quiet_hours": {"start": "22:00"}},
                    {"quiet_hours": {"start": "07:00", "end": "07:00"}}, {"opted_out": "perhaps"}, {"version": 3}):
            assert put(client, staff_url(world), bad, headers, '"0"').status_code == 422, bad
        assert client.get(staff_url(world), headers=headers).headers["ETag"] == '"0"'

    def test_malformed_json_is_400(self, client, auth, world):
        response = client.put(staff_url(world), data="{nope", content_type="application/json",
                              headers={**auth("nurse", sub=world.nurse), "If-Match": '"0"'})
        assert_problem(response, 400)

    def test_others_are_403_but_admins_may(self, client, auth, world):
        assert_problem(client.get(staff_url(world), headers=auth("nurse", sub=world.stranger)), 403)
        assert_problem(put(client, staff_url(world), {}, auth("coordinator", sub=world.coordinator), '"0"'), 403)
        assert client.get(staff_url(world), headers=auth("admin")).status_code == 200

    def test_unknown_practitioner_is_404(self, client, auth):
        someone = uuid.uuid4()
        assert_problem(client.get(f"/preferences/practitioners/{someone}", headers=auth("nurse", sub=someone)), 404)


class TestPatientPreferences:
    def url(self, world):
        return f"/preferences/patients/{world.patient}"

    def test_read_shows_consent_from_the_patients_service_and_audits(self, client, auth, runtime, world):
        response = client.get(self.url(world), headers=auth())
        assert response.status_code == 200
        body = response.get_json()
        assert body["sms_consent"] is False and "sms_consent_recorded_at" not in body
        assert body["effective_channels"]["appointments"]["routine"] == ["inapp", "email"]
        assert audit_since(runtime) == [("read", "notification-preferences", str(world.patient), "success")]

    def test_care_team_replaces_them_and_it_is_audited(self, client, auth, runtime, world):
        response = put(client, self.url(world), {"opted_out": True}, auth("nurse", sub=world.nurse), '"0"')
        assert response.status_code == 200 and response.get_json()["opted_out"] is True
        assert audit_since(runtime) == [("update", "notification-preferences", str(world.patient), "success")]

    def test_patients_record_sms_consent_in_the_patients_service_not_here(self, client, auth, world):
        body = assert_problem(put(client, self.url(world), {"sms_consent": True}, auth(), '"0"'), 422)
        assert "sms_consent" in body["errors"]
        assert_problem(put(client, self.url(world), {"channels": {"appointments": ["sms"]}}, auth(), '"0"'), 422)
        world.deliver(patient_updated(world.patient, revision=2, sms_consent=True))
        assert put(client, self.url(world), {"channels": {"appointments": ["sms"]}}, auth(), '"0"').status_code == 200

    def test_staff_only_categories_are_refused_for_patients(self, client, auth, world):
        body = assert_problem(put(client, self.url(world), {"channels": {"tasks": ["email"]}}, auth(), '"0"'), 422)
        assert "channels.tasks" in body["errors"]

    def test_clinician_not_on_the_team_is_403_and_audited(self, client, auth, runtime, world):
        assert_problem(client.get(self.url(world), headers=auth("nurse", sub=world.stranger)), 403)
        assert_problem(put(client, self.url(world), {}, auth("physician", sub=world.stranger), '"0"'), 403)
        assert audit_since(runtime) == [("read", "notification-preferences", str(world.patient), "denied"),
                                        ("update", "notification-preferences", str(world.patient), "denied")]

    def test_428_and_412(self, client, auth, world):
        assert_problem(client.put(self.url(world), json={}, headers=auth()), 428)
        assert_problem(put(client, self.url(world), {}, auth(), '"4"'), 412)

    def test_unknown_patient_is_404(self, client, auth):
        assert_problem(client.get(f"/preferences/patients/{uuid.uuid4()}", headers=auth()), 404)


class TestRelatedPersonPreferences:
    def url(self, world):
        return f"/preferences/related-persons/{world.consenting_daughter}"

    def test_read_and_replace_audited_against_the_patient(self, client, auth, runtime, world):
        etag = client.get(self.url(world), headers=auth()).headers["ETag"]
        response = put(client, self.url(world), {"quiet_hours": {"start": "21:00", "end": "08:00"}}, auth(), etag)
        assert response.status_code == 200 and response.headers["ETag"] == '"1"'
        assert audit_since(runtime) == [("read", "notification-preferences", str(world.patient), "success"),
                                        ("update", "notification-preferences", str(world.patient), "success")]

    def test_clinician_not_on_the_team_is_403(self, client, auth, world):
        assert_problem(client.get(self.url(world), headers=auth("nurse", sub=world.stranger)), 403)
        assert_problem(put(client, self.url(world), {}, auth("nurse", sub=world.stranger), '"0"'), 403)

    def test_428_412_and_404(self, client, auth, world):
        assert_problem(client.put(self.url(world), json={}, headers=auth()), 428)
        assert_problem(put(client, self.url(world), {}, auth(), '"7"'), 412)
        assert_problem(client.get(f"/preferences/related-persons/{uuid.uuid4()}", headers=auth()), 404)
