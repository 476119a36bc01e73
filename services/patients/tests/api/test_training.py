"""/practitioners/{id}/training: new staff onboarding (mentor, checklist, sign-off)."""
import uuid

from carebridge.testing import assert_problem, audit_trail, outbox
from support import practitioner_payload


def _add(client, coordinator, role="coordinator", **overrides) -> str:
    response = client.post("/practitioners", json=practitioner_payload(role, **overrides), headers=coordinator)
    assert response.status_code == 201
    return response.get_json()["id"]


def _training_events(runtime) -> list[dict]:
    return [event.data for event in outbox(runtime, "patients.practitioner-training-changed")]


class TestOnboarding:
    def test_start_tick_and_sign_off_record_who_and_when_and_publish_start_and_end(self, client, auth, runtime):
        lead = str(uuid.uuid4())
        coordinator = auth("coordinator", sub=lead)
        _add(client, coordinator, id=lead)
        trainee, mentor = _add(client, coordinator), _add(client, coordinator)

        response = client.post(f"/practitioners/{trainee}/training", json={"mentor_id": mentor}, headers=coordinator)
        assert response.status_code == 201 and response.headers["Location"] == f"/practitioners/{trainee}/training"
        body = response.get_json()
        assert (body["status"], body["mentor_id"], body["started_by"]) == ("in-training", mentor, lead)
        codes = [item["code"] for item in body["checklist"]]
        assert {"shadowing", "module", "sign-off"} == {item["kind"] for item in body["checklist"]}
        assert "shadow-intake" in codes and codes[-1] == "mentor-sign-off"
        assert _training_events(runtime) == [{"practitioner_id": trainee, "revision": 1, "mentor_id": mentor,
                                              "in_training": True}]

        url = f"/practitioners/{trainee}/training"
        refused = assert_problem(client.patch(url, json={"done": codes[:1], "status": "signed-off"},
                                              headers={**coordinator, "If-Match": '"1"'}), 409)
        assert "mentor-sign-off" in refused["errors"]["done"][0]
        assert client.get(url, headers=coordinator).get_json()["checklist"][0]["done_at"] is None  # nothing changed
        ticked = client.patch(url, json={"done": codes[:-1]}, headers={**coordinator, "If-Match": '"1"'})
        assert ticked.status_code == 200 and ticked.headers["ETag"] == '"2"'
        item = ticked.get_json()["checklist"][0]
        assert item["done_by"] == lead and item["done_at"]
        assert _training_events(runtime)[1:] == []  # ticking publishes nothing

        signed = client.patch(url, json={"done": codes[-1:], "status": "signed-off"},
                              headers={**coordinator, "If-Match": '"2"'}).get_json()
        assert (signed["status"], signed["signed_off_by"]) == ("signed-off", lead) and signed["signed_off_at"]
        events = _training_events(runtime)
        assert len(events) == 2 and events[1] == {"practitioner_id": trainee, "revision": signed["version"],
                                                  "mentor_id": mentor, "in_training": False}
        assert {(r["action"], r["resource_id"]) for r in audit_trail(runtime)
                if r["resource_type"] == "practitioner-training"} >= {("create", trainee), ("update", trainee)}
        assert_problem(client.patch(url, json={"done": codes[:1]},
                                    headers={**coordinator, "If-Match": f'"{signed["version"]}"'}), 409)

    def test_a_checklist_of_ones_own_and_the_defaults_as_reference_data(self, client, coordinator):
        trainee, mentor = _add(client, coordinator, "nurse"), _add(client, coordinator, "nurse")
        checklist = [{"code": "shadow-wound-care", "kind": "shadowing", "title": "Shadow wound care visits"},
                     {"code": "final", "kind": "sign-off", "title": "Charge nurse signs off"}]
        body = client.post(f"/practitioners/{trainee}/training", json={"mentor_id": mentor, "checklist": checklist},
                          headers=coordinator).get_json()
        assert [(i["code"], i["done_at"]) for i in body["checklist"]] == [("shadow-wound-care", None), ("final", None)]
        defaults = {entry["role"]: entry["checklist"] for entry in
                    client.get("/practitioners/training-checklists", headers=coordinator).get_json()}
        assert "shadow-check-ins" in {item["code"] for item in defaults["nurse"]}

    def test_bad_requests_change_nothing(self, client, coordinator, runtime, subtests):
        trainee, mentor = _add(client, coordinator), _add(client, coordinator)
        for body, status, field in [
            ({"mentor_id": trainee}, 422, "mentor_id"),
            ({"mentor_id": str(uuid.uuid4())}, 422, "mentor_id"),
            ({}, 422, "mentor_id"),
            ({"mentor_id": mentor, "checklist": [{"code": "x", "kind": "module", "title": "No sign-off"}]},
             422, "checklist"),
            ({"mentor_id": mentor, "checklist": [{"code": "Bad Code", "kind": "sign-off", "title": "t"}]},
             422, "checklist"),
        ]:
            with subtests.test(body=body):
                problem = assert_problem(client.post(f"/practitioners/{trainee}/training", json=body,
                                                    headers=coordinator), status)
                assert field in problem["errors"]
        assert_problem(client.get(f"/practitioners/{trainee}/training", headers=coordinator), 404)
        assert _training_events(runtime) == []
        client.post(f"/practitioners/{trainee}/training", json={"mentor_id": mentor}, headers=coordinator)
        assert_problem(client.post(f"/practitioners/{trainee}/training", json={"mentor_id": mentor},
                                  headers=coordinator), 409)
        url = f"/practitioners/{trainee}/training"
        assert_problem(client.patch(url, json={"done": ["nope"]}, headers={**coordinator, "If-Match": '"1"'}), 422)
        assert_problem(client.patch(url, json={}, headers={**coordinator, "If-Match": '"1"'}), 422)
        assert_problem(client.patch(url, json={"done": ["shadow-intake"]}, headers=coordinator), 428)

    def test_coordinators_and_admins_manage_and_the_trainee_and_mentor_may_read(self, client, coordinator, auth):
        trainee, mentor, other = (_add(client, coordinator, "nurse") for _ in range(3))
        client.post(f"/practitioners/{trainee}/training", json={"mentor_id": mentor}, headers=coordinator)
        url = f"/practitioners/{trainee}/training"
        assert assert_problem(client.post(url, json={"mentor_id": mentor}, headers=auth("nurse", sub=mentor)), 403)
        assert_problem(client.patch(url, json={"status": "signed-off"},
                                    headers={**auth("nurse", sub=mentor), "If-Match": '"1"'}), 403)
        assert client.get(url, headers=auth("nurse", sub=mentor)).status_code == 200
        assert client.get(url, headers=auth("nurse", sub=trainee)).status_code == 200
        assert client.get(url, headers=auth("admin")).status_code == 200
        assert_problem(client.get(url, headers=auth("nurse", sub=other)), 403)
