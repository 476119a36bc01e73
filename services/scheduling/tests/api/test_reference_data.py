"""/appointment-types and /locations."""
import uuid

import pytest

from carebridge.testing import assert_problem
from support import add_location


class TestAppointmentTypes:
    def test_every_staff_role_reads_the_catalogue(self, client, auth):
        for role in ("coordinator", "billing", "admin", "nurse"):
            page = client.get("/appointment-types", headers=auth(role)).get_json()
            assert page["total"] == 8
        # Services share the catalogue as the kit's vocabulary, not by calling.
        assert client.get("/appointment-types", headers=auth("service", sub="billing")).status_code == 403
        follow_up = client.get("/appointment-types/follow-up", headers=auth("nurse")).get_json()
        assert follow_up == {"code": "follow-up", "display": "Follow-up visit", "service_code": "99214",
                             "duration_minutes": 30, "setting": "outpatient-clinic",
                             "billing_category": "primary-care", "active": True}

    def test_filter_by_setting_and_pages(self, client, auth):
        hospital = client.get("/appointment-types", query_string={"setting": "hospital"}, headers=auth()).get_json()
        assert [t["code"] for t in hospital["items"]] == ["echocardiogram", "mri-lumbar-spine"]
        page = client.get("/appointment-types", query_string={"page": 2, "page_size": 5}, headers=auth()).get_json()
        assert len(page["items"]) == 3 and page["total"] == 8
        assert_problem(client.get("/appointment-types", query_string={"setting": "moon"}, headers=auth()), 422)

    def test_unknown_code_is_404_and_a_token_is_needed(self, client, auth):
        assert_problem(client.get("/appointment-types/acupuncture", headers=auth()), 404)
        assert_problem(client.get("/appointment-types"), 401)


class TestLocations:
    def test_administrators_add_and_change_locations(self, client, auth):
        admin = auth("admin")
        response = client.post("/locations", headers=admin, json={
            "code": "lakeside-clinic", "name": "Lakeside Clinic", "setting": "outpatient-clinic"})
        assert response.status_code == 201 and response.headers["ETag"] == '"1"'
        location = response.get_json()
        assert location["active"] is True and response.headers["Location"] == f"/locations/{location['id']}"
        url = f"/locations/{location['id']}"
        changed = client.put(url, headers={**admin, "If-Match": '"1"'}, json={
            "code": "lakeside-clinic", "name": "Lakeside Clinic (closed)", "setting": "outpatient-clinic",
            "active": False})
        assert changed.status_code == 200 and changed.headers["ETag"] == '"2"'
        assert client.get(url, headers=auth("billing")).get_json()["active"] is False

    def test_concurrency_and_conflicts(self, client, auth, runtime):
        admin = auth("admin")
        taken = add_location(runtime, "hospital", code="taken-code")
        body = {"code": "taken-code", "name": "X", "setting": "hospital"}
        assert_problem(client.post("/locations", headers=admin, json=body), 409)
        url = f"/locations/{taken}"
        assert_problem(client.put(url, headers=admin, json=body), 428)
        assert_problem(client.put(url, headers={**admin, "If-Match": '"5"'}, json=body), 412)
        other = add_location(runtime, "hospital", code="other-code")
        assert_problem(client.put(f"/locations/{other}", headers={**admin, "If-Match": '"1"'}, json=body), 409)

    @pytest.mark.parametrize("body,field", [
        ({"code": "Bad Code", "name": "X", "setting": "hospital"}, "code"),
        ({"code": "ok", "name": "", "setting": "hospital"}, "name"),
        ({"code": "ok", "name": "X", "setting": "spa"}, "setting"),
    ])
    def test_invalid_locations_are_422(self, client, auth, body, field):
        assert field in assert_problem(client.post("/locations", headers=auth("admin"), json=body), 422)["errors"]

    def test_only_administrators_change_locations_everyone_reads_them(self, client, auth, runtime):
        location = add_location(runtime, "nursing-home")
        assert_problem(client.post("/locations", headers=auth("coordinator"), json={
            "code": "x", "name": "X", "setting": "hospital"}), 403)
        assert client.get("/locations", query_string={"setting": "nursing-home"},
                          headers=auth("nurse", sub=uuid.uuid4())).get_json()["total"] >= 1
        assert_problem(client.get(f"/locations/{uuid.uuid4()}", headers=auth()), 404)
        assert client.get(f"/locations/{location}", headers=auth()).headers["ETag"] == '"1"'
