"""/patients: register, read, change, deactivate."""
import uuid
from datetime import timedelta

from carebridge.testing import assert_problem, outbox
from support import audit_of, patient_payload


class TestRegister:
    def test_registers_with_normalised_contacts_and_answers_etag_and_location(self, client, coordinator, runtime):
        response = client.post("/patients", json=patient_payload(mrn="MRN-1001"), headers=coordinator)
        assert response.status_code == 201
        body = response.get_json()
        assert body["status"] == "active" and body["version"] == 1 and body["mrn"] == "MRN-1001"
        assert response.headers["ETag"] == '"1"'
        assert response.headers["Location"] == f"/patients/{body['id']}"
        assert body["contact_points"][0] == {"system": "phone", "value": "+13125550142", "use": "home"}
        assert body["communication"]["preferred_channel"] == "sms"
        assert client.get(f"/patients/{body['id']}", headers=coordinator).get_json() == body

    def test_defaults_language_and_communication(self, client, coordinator):
        payload = patient_payload()
        for optional in ("preferred_language", "communication", "contact_points", "address", "clinical_setting",
                         "middle_name"):
            payload.pop(optional)
        body = client.post("/patients", json=payload, headers=coordinator).get_json()
        assert body["preferred_language"] == "en" and body["contact_points"] == [] and body["address"] is None
        assert body["communication"] == {"preferred_channel": "inapp", "quiet_hours_start": None,
                                         "quiet_hours_end": None, "sms_consent": False}

    def test_publishes_patient_registered_with_reachability_but_no_names(self, client, coordinator, runtime):
        body = client.post("/patients", json=patient_payload(), headers=coordinator).get_json()
        [event] = outbox(runtime, "patients.patient-registered")
        assert event.data["patient_id"] == body["id"] and event.data["revision"] == 1
        assert event.data["time_zone"] == "America/Chicago" and event.data["preferred_language"] == "es-MX"
        assert {"system": "sms", "value": "+13125550199", "use": "mobile"} in event.data["contact_points"]
        assert event.data["communication"]["quiet_hours_start"] == "21:00"
        for phi in ("José", "Muñoz", "1951-07-14", "Harrison"):
            assert phi not in event.to_json()

    def test_is_audited_as_a_create(self, client, coordinator, runtime):
        body = client.post("/patients", json=patient_payload(), headers=coordinator).get_json()
        assert [(r["action"], r["resource_type"], r["outcome"]) for r in audit_of(runtime, patient_id=body["id"])] \
            == [("create", "patient", "success")]

    def test_duplicate_mrn_is_409_and_changes_nothing(self, client, coordinator, runtime, patient):
        body = assert_problem(client.post("/patients", json=patient_payload(mrn=patient["mrn"]), headers=coordinator),
                              409)
        assert body["errors"] == {"mrn": ["Already in use."]}
        assert len(outbox(runtime, "patients.patient-registered")) == 1

    def test_retry_with_idempotency_key_registers_once(self, client, coordinator, runtime):
        headers = {**coordinator, "Idempotency-Key": "register-jose-0001"}
        payload = patient_payload()
        first = client.post("/patients", json=payload, headers=headers)
        again = client.post("/patients", json=payload, headers=headers)
        assert again.status_code == 201 and again.get_json() == first.get_json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert len(outbox(runtime, "patients.patient-registered")) == 1

    def test_only_coordinators_and_admins_register(self, client, auth, runtime, subtests):
        for role in ("nurse", "physician", "specialist", "billing"):
            with subtests.test(role=role):
                assert_problem(client.post("/patients", json=patient_payload(), headers=auth(role)), 403)
        assert_problem(client.post("/patients", json=patient_payload(), headers=auth("service", sub="scheduling")), 403)
        assert outbox(runtime) == []

    def test_admin_registers(self, client, auth):
        assert client.post("/patients", json=patient_payload(), headers=auth("admin")).status_code == 201

    def test_malformed_json_is_400(self, client, coordinator):
        body = assert_problem(client.post("/patients", data='{"mrn": ', content_type="application/json",
                                          headers=coordinator), 400)
        assert body["title"] == "Malformed JSON"

    def test_missing_fields_are_422_naming_each(self, client, coordinator):
        body = assert_problem(client.post("/patients", json={}, headers=coordinator), 422)
        assert set(body["errors"]) == {"mrn", "given_name", "family_name", "birth_date", "administrative_sex",
                                       "time_zone"}

    INVALID = [
        ("birth_date", "1951-02-30"),
        ("birth_date", "14/07/1951"),
        ("birth_date", "2030-01-01"),
        ("birth_date", "1850-01-01"),
        ("administrative_sex", "yes"),
        ("gender_identity", "unknown-code"),
        ("clinical_setting", "moon-base"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("preferred_language", "Spanish"),
        ("mrn", "MRN 1"),
        ("given_name", "   "),
        ("family_name", "x" * 101),
        ("contact_points", [{"system": "fax", "value": "+13125550142"}]),
        ("contact_points", [{"system": "phone", "value": "312-555-0142"}]),
        ("contact_points", [{"system": "email", "value": "not-an-address"}]),
        ("contact_points", [{"system": "phone", "value": "+13125550142", "use": "pager"}]),
        ("address", {"lines": [], "city": "Chicago", "country": "US"}),
        ("address", {"lines": ["1 Main St"], "city": "Chicago", "country": "USA"}),
        ("communication", {"preferred_channel": "pigeon"}),
        ("communication", {"quiet_hours_start": "21:00"}),
        ("communication", {"quiet_hours_start": "25:00", "quiet_hours_end": "08:00"}),
        ("nickname", "Pepe"),
    ]

    def test_invalid_field_is_422_naming_it(self, client, coordinator, runtime, subtests):
        for field, value in self.INVALID:
            with subtests.test(field=field, value=value):
                body = assert_problem(client.post("/patients", json=patient_payload(**{field: value}),
                                                  headers=coordinator), 422)
                assert field in body["errors"]
        assert outbox(runtime) == []

    def test_preferring_texts_without_consent_is_422(self, client, coordinator, runtime):
        payload = patient_payload(communication={"preferred_channel": "sms", "sms_consent": False})
        body = assert_problem(client.post("/patients", json=payload, headers=coordinator), 422)
        assert body["errors"]["communication"] == {"sms_consent": ["Must be true to prefer text messages."]}
        assert outbox(runtime) == []

    def test_preferring_email_without_an_address_is_422(self, client, coordinator):
        payload = patient_payload(communication={"preferred_channel": "email"},
                                  contact_points=[{"system": "phone", "value": "+13125550142"}])
        assert "contact_points" in assert_problem(client.post("/patients", json=payload, headers=coordinator),
                                                  422)["errors"]


class TestRead:
    def test_read_answers_the_version_as_etag_and_is_audited(self, client, coordinator, runtime, patient):
        response = client.get(f"/patients/{patient['id']}", headers={**coordinator, "X-Request-ID": "req-read-1"})
        assert response.status_code == 200 and response.headers["ETag"] == '"1"'
        [record] = audit_of(runtime, action="read", patient_id=patient["id"])
        assert (record["resource_type"], record["outcome"], record["correlation_id"]) == \
            ("patient", "success", "req-read-1")

    def test_unknown_patient_is_404(self, client, coordinator):
        assert_problem(client.get(f"/patients/{uuid.uuid4()}", headers=coordinator), 404)

    def test_malformed_id_is_404(self, client, coordinator):
        assert_problem(client.get("/patients/not-a-uuid", headers=coordinator), 404)

    def test_team_nurse_billing_and_services_read(self, client, auth, patient, team_nurse):
        for headers in (team_nurse, auth("billing"), auth("service", sub="scheduling"), auth("admin")):
            assert client.get(f"/patients/{patient['id']}", headers=headers).status_code == 200

    def test_a_team_nurse_reads_the_same_answer_as_a_coordinator(self, client, coordinator, patient, team_nurse):
        # The nurse's row comes through SQLAlchemy Core (access.ReadRecord),
        # the coordinator's through the ORM: the answers are byte for byte
        # the same.
        client.patch(f"/patients/{patient['id']}", headers={**coordinator, "If-Match": '"1"'},
                     json={"address": {"lines": ["1 Main St"], "city": "Springfield", "country": "US"},
                           "middle_name": "Jo"})
        as_nurse = client.get(f"/patients/{patient['id']}", headers=team_nurse)
        as_coordinator = client.get(f"/patients/{patient['id']}", headers=coordinator)
        assert as_nurse.status_code == as_coordinator.status_code == 200
        assert as_nurse.data == as_coordinator.data
        assert as_nurse.headers["ETag"] == as_coordinator.headers["ETag"] == '"2"'
        assert as_nurse.get_json()["address"]["city"] == "Springfield"

    def test_without_token_is_401(self, client, patient):
        assert_problem(client.get(f"/patients/{patient['id']}"), 401)


class TestUpdate:
    def change(self, client, headers, patient_id, body, etag='"1"'):
        return client.patch(f"/patients/{patient_id}", json=body, headers={**headers, "If-Match": etag})

    def test_changes_only_what_is_sent_and_publishes_the_changed_fields(self, client, coordinator, runtime, patient):
        response = self.change(client, coordinator, patient["id"],
                               {"time_zone": "America/New_York", "preferred_language": "en-us",
                                "given_name": patient["given_name"]})
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        body = response.get_json()
        assert body["time_zone"] == "America/New_York" and body["preferred_language"] == "en-US"
        assert body["family_name"] == patient["family_name"] and body["version"] == 2
        [event] = outbox(runtime, "patients.patient-updated")
        assert event.data["changed_fields"] == ["preferred_language", "time_zone"]
        assert event.data["revision"] == 2 and event.data["time_zone"] == "America/New_York"

    def test_a_sent_object_replaces_the_old_one_whole(self, client, coordinator, patient):
        body = self.change(client, coordinator, patient["id"],
                           {"communication": {"preferred_channel": "email"}}).get_json()
        assert body["communication"] == {"preferred_channel": "email", "quiet_hours_start": None,
                                         "quiet_hours_end": None, "sms_consent": False}

    def test_a_change_that_changes_nothing_keeps_the_version_and_publishes_nothing(self, client, coordinator,
                                                                                   runtime, patient):
        response = self.change(client, coordinator, patient["id"], {"time_zone": patient["time_zone"]})
        assert response.status_code == 200 and response.headers["ETag"] == '"1"'
        assert outbox(runtime, "patients.patient-updated") == []

    def test_renamed_patient_is_found_by_the_new_name(self, client, coordinator, patient):
        self.change(client, coordinator, patient["id"], {"family_name": "Ødegård"})
        found = client.get("/patients?q=odegard", headers=coordinator).get_json()
        assert [p["id"] for p in found["items"]] == [patient["id"]]
        assert client.get("/patients?q=munoz", headers=coordinator).get_json()["total"] == 0

    def test_without_if_match_is_428_and_changes_nothing(self, client, coordinator, runtime, patient):
        assert_problem(client.patch(f"/patients/{patient['id']}", json={"time_zone": "UTC"}, headers=coordinator), 428)
        unchanged = client.get(f"/patients/{patient['id']}", headers=coordinator).get_json()
        assert unchanged["time_zone"] == "America/Chicago"

    def test_stale_if_match_is_412_and_changes_nothing(self, client, coordinator, runtime, patient):
        assert self.change(client, coordinator, patient["id"], {"time_zone": "UTC"}).status_code == 200
        body = assert_problem(self.change(client, coordinator, patient["id"], {"time_zone": "Europe/Madrid"}), 412)
        assert body["current_etag"] == '"2"'
        assert client.get(f"/patients/{patient['id']}", headers=coordinator).get_json()["time_zone"] == "UTC"
        assert len(outbox(runtime, "patients.patient-updated")) == 1

    def test_taking_another_patients_mrn_is_409(self, client, coordinator, staff, patient):
        other = staff.patient()
        assert_problem(self.change(client, coordinator, patient["id"], {"mrn": other["mrn"]}), 409)

    def test_invalid_changes_are_422_naming_the_field(self, client, coordinator, runtime, patient, subtests):
        for body in ({"given_name": None}, {"birth_date": "tomorrow"}, {"status": "inactive"},
                     {"time_zone": "Nowhere/Land"}, {"contact_points": "phone"}):
            with subtests.test(body=body):
                assert set(assert_problem(self.change(client, coordinator, patient["id"], body), 422)["errors"]) \
                    == set(body)
        assert outbox(runtime, "patients.patient-updated") == []

    def test_dropping_the_only_sms_number_while_preferring_texts_is_422(self, client, coordinator, patient):
        body = assert_problem(self.change(client, coordinator, patient["id"],
                                          {"contact_points": [{"system": "phone", "value": "+13125550142"}]}), 422)
        assert "contact_points" in body["errors"]

    def test_unknown_patient_is_404(self, client, coordinator):
        assert_problem(self.change(client, coordinator, uuid.uuid4(), {"time_zone": "UTC"}), 404)

    def test_team_nurse_may_update_contact_details_billing_may_not(self, client, auth, patient, team_nurse):
        assert self.change(client, team_nurse, patient["id"], {"preferred_language": "es"}).status_code == 200
        assert_problem(self.change(client, auth("billing"), patient["id"], {"preferred_language": "en"}, '"2"'), 403)

    def test_update_is_audited(self, client, coordinator, runtime, patient):
        self.change(client, coordinator, patient["id"], {"time_zone": "UTC"})
        assert [r["outcome"] for r in audit_of(runtime, action="update", patient_id=patient["id"])] == ["success"]


class TestStatus:
    def put(self, client, headers, patient_id, body, etag='"1"'):
        return client.put(f"/patients/{patient_id}/status", json=body, headers={**headers, "If-Match": etag})

    def test_deactivation_publishes_patient_updated_with_status(self, client, coordinator, runtime, patient):
        response = self.put(client, coordinator, patient["id"], {"status": "inactive"})
        assert response.status_code == 200 and response.get_json()["status"] == "inactive"
        [event] = outbox(runtime, "patients.patient-updated")
        assert event.data["changed_fields"] == ["status"] and event.data["status"] == "inactive"

    def test_reactivation(self, client, coordinator, runtime, patient):
        self.put(client, coordinator, patient["id"], {"status": "inactive"})
        back = self.put(client, coordinator, patient["id"], {"status": "active"}, '"2"')
        assert back.get_json()["status"] == "active"
        assert [e.data["status"] for e in outbox(runtime, "patients.patient-updated")] == ["inactive", "active"]

    def test_recording_a_death_with_its_time(self, client, coordinator, runtime, patient, clock):
        died = (clock.now() - timedelta(hours=3)).isoformat()
        body = self.put(client, coordinator, patient["id"], {"status": "deceased", "deceased_at": died}).get_json()
        assert body["status"] == "deceased" and body["deceased_at"] == died
        [event] = outbox(runtime, "patients.patient-updated")
        assert event.data["changed_fields"] == ["deceased_at", "status"]

    def test_death_is_final(self, client, coordinator, runtime, patient):
        self.put(client, coordinator, patient["id"], {"status": "deceased"})
        body = assert_problem(self.put(client, coordinator, patient["id"], {"status": "active"}, '"2"'), 409)
        assert body["allowed"] == [] and body["current_status"] == "deceased"

    def test_the_same_status_again_changes_nothing(self, client, coordinator, runtime, patient):
        response = self.put(client, coordinator, patient["id"], {"status": "active"})
        assert response.status_code == 200 and response.headers["ETag"] == '"1"'
        assert outbox(runtime, "patients.patient-updated") == []

    def test_invalid_status_changes_are_422_naming_the_field(self, client, coordinator, runtime, patient, subtests):
        for body, field in [
            ({"status": "asleep"}, "status"),
            ({}, "status"),
            ({"status": "deceased", "deceased_at": "2026-03-01T10:00:00"}, "deceased_at"),  # no offset
            ({"status": "inactive", "deceased_at": "2026-03-01T10:00:00+00:00"}, "deceased_at"),
            ({"status": "deceased", "deceased_at": "2027-01-01T10:00:00+00:00"}, "deceased_at"),
            ({"status": "deceased", "deceased_at": "1940-01-01T10:00:00+00:00"}, "deceased_at"),
        ]:
            with subtests.test(body=body):
                assert field in assert_problem(self.put(client, coordinator, patient["id"], body), 422)["errors"]
        assert outbox(runtime, "patients.patient-updated") == []

    def test_without_if_match_is_428_and_stale_is_412(self, client, coordinator, patient):
        assert_problem(client.put(f"/patients/{patient['id']}/status", json={"status": "inactive"},
                                  headers=coordinator), 428)
        assert_problem(self.put(client, coordinator, patient["id"], {"status": "inactive"}, '"7"'), 412)

    def test_unknown_patient_is_404(self, client, coordinator):
        assert_problem(self.put(client, coordinator, uuid.uuid4(), {"status": "inactive"}), 404)

    def test_nurses_billing_and_services_cannot_change_status(self, client, auth, patient, subtests):
        for role in ("nurse", "billing"):
            with subtests.test(role=role):
                assert_problem(self.put(client, auth(role), patient["id"], {"status": "inactive"}), 403)
        assert_problem(self.put(client, auth("service", sub="scheduling"), patient["id"], {"status": "inactive"}), 403)


def test_a_nursing_home_residents_facility_travels_as_an_identifier(client, coordinator, runtime):
    """Issue 25, item 14 (b): scheduling books a resident's visits at the facility they live in."""
    maple, oak = uuid.uuid4(), uuid.uuid4()
    created = client.post("/patients", json=patient_payload(clinical_setting="nursing-home",
                                                            facility_location_id=str(maple)), headers=coordinator)
    body = created.get_json()
    assert body["facility_location_id"] == str(maple)
    [registered] = outbox(runtime, "patients.patient-registered")
    assert registered.data["clinical_setting"] == "nursing-home"
    assert str(registered.data["facility_location_id"]) == str(maple)
    moved = client.patch(f"/patients/{body['id']}", json={"facility_location_id": str(oak)},
                         headers={**coordinator, "If-Match": created.headers["ETag"]})
    assert moved.status_code == 200 and moved.get_json()["facility_location_id"] == str(oak)
    [updated] = outbox(runtime, "patients.patient-updated")
    assert str(updated.data["facility_location_id"]) == str(oak)
    assert updated.data["changed_fields"] == ["facility_location_id"]
    assert_problem(client.patch(f"/patients/{body['id']}", json={"facility_location_id": "maple-house"},
                                headers={**coordinator, "If-Match": moved.headers["ETag"]}), 422)
