"""What the service publishes, read back from its outbox as a consumer would."""
import json
from datetime import timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from carebridge import access
from carebridge.db.kit_tables import access_care_team_members, access_care_teams
from carebridge.events import registry
from carebridge.testing import outbox


@pytest.fixture
def journey(client, staff, coordinator, clock):
    """A patient's first weeks: registered, a daughter with consent, an
    allergy, a care team that changes, a nurse who leaves."""
    def step(response, status=(200, 201)):
        assert response.status_code in status, response.get_data(as_text=True)
        return response

    patient = staff.patient()
    pid = patient["id"]
    step(client.patch(f"/patients/{pid}", json={"time_zone": "America/Denver"},
                      headers={**coordinator, "If-Match": '"1"'}))
    daughter = staff.related_person(pid, consent={"appointments": True, "care_plan": True, "billing": False})
    step(client.post(f"/patients/{pid}/related-persons/{daughter['id']}/consent-withdrawal", headers=coordinator))
    allergy = staff.allergy(pid)
    step(client.patch(f"/patients/{pid}/allergies/{allergy['id']}", json={"clinical_status": "inactive"},
                      headers={**coordinator, "If-Match": '"1"'}))
    lead, nurse, physician = (staff.practitioner(role) for role in ("coordinator", "nurse", "physician"))
    team = staff.team(pid, [nurse["id"]], lead_coordinator_id=lead["id"])
    clock.advance(days=3)
    member = step(client.post(f"/care-teams/{team['id']}/members", json={"practitioner_id": physician["id"]},
                              headers={**coordinator, "X-Request-ID": "req-add-physician"})).get_json()
    clock.advance(days=3)
    step(client.patch(f"/care-teams/{team['id']}/members/{member['id']}",
                      json={"period_end": clock.now().isoformat()}, headers={**coordinator, "If-Match": '"1"'}))
    step(client.patch(f"/practitioners/{nurse['id']}", json={"active": False},
                      headers={**coordinator, "If-Match": '"1"'}))
    step(client.put(f"/patients/{pid}/status", json={"status": "inactive"}, headers={**coordinator, "If-Match": '"2"'}))
    return {"patient": patient, "team": team, "nurse": nurse, "physician": physician, "lead": lead}


def test_every_event_is_valid_for_its_schema_as_producer_and_consumer_see_it(runtime, journey):
    published = outbox(runtime)
    assert {e.type for e in published} == {
        "patients.patient-registered", "patients.patient-updated", "patients.related-person-changed",
        "patients.allergy-changed", "patients.practitioner-changed", "patients.care-team-changed"}
    for event in published:
        assert (event.producer, event.version) == ("patients", 1)
        registry.validate_for_publish(event.type, event.version, event.data)  # strict: no unknown field
        registry.validate_on_receipt(event.type, event.version, event.data)


def test_payloads_carry_no_names_birth_dates_addresses_or_clinical_text(runtime, journey):
    patient = journey["patient"]
    everything = json.dumps([e.to_dict() for e in outbox(runtime)], ensure_ascii=False)
    for phi in (patient["given_name"], patient["family_name"], patient["middle_name"], patient["birth_date"],
                patient["address"]["lines"][0], "María", "Penicillin", "Hives", journey["nurse"]["family_name"]):
        assert phi not in everything


def test_each_change_of_an_entity_has_the_next_revision(runtime, journey):
    by_entity = {}
    for event in outbox(runtime):
        key = next(value for name, value in event.data.items() if name.endswith("_id"))
        by_entity.setdefault((event.type.split("-")[0], key), []).append(event.data["revision"])
    for revisions in by_entity.values():
        assert revisions == list(range(1, len(revisions) + 1))


def test_each_care_team_change_is_one_event_with_the_full_membership(runtime, journey, clock):
    events = outbox(runtime, "patients.care-team-changed")
    assert [e.data["revision"] for e in events] == [1, 2, 3, 4]
    assert [len(e.data["members"]) for e in events] == [1, 2, 2, 2]
    assert events[1].correlation_id == "req-add-physician"
    latest = {m["practitioner_id"]: m for m in events[-1].data["members"]}
    assert latest[journey["physician"]["id"]]["period_end"] == clock.now().isoformat()
    assert latest[journey["nurse"]["id"]]["period_end"] == clock.now().isoformat()
    assert events[-1].data["lead_coordinator_id"] == journey["lead"]["id"]


def test_deactivation_tells_scheduling_the_status_changed(runtime, journey):
    last = outbox(runtime, "patients.patient-updated")[-1]
    assert (last.data["status"], last.data["changed_fields"], last.data["revision"]) == ("inactive", ["status"], 3)


def test_a_consumer_rebuilds_the_same_access_projection_from_the_latest_event_alone(runtime, journey):
    events = outbox(runtime, "patients.care-team-changed")
    held = projection(runtime)
    assert len(events) == 4 and len(held["members"]) == 2
    with runtime.db.transaction() as session:  # a consumer that has seen nothing yet...
        session.execute(delete(access_care_team_members))
        session.execute(delete(access_care_teams))
    with runtime.db.transaction() as session:  # ...gets them newest first: the older ones change nothing
        for event in reversed(events):
            access.apply_care_team_changed(session, received(event))
    assert projection(runtime) == held


def test_the_projection_here_follows_every_change(runtime, journey, clock):
    [team] = projection(runtime)["teams"]
    assert (team["revision"], team["status"]) == (4, "active")
    members = {m["practitioner_id"]: m for m in projection(runtime)["members"]}
    assert set(members) == {journey["nurse"]["id"], journey["physician"]["id"]}
    assert all(m["period_end"] == clock.now() for m in members.values())


def received(event):
    """The event as a consumer's handler gets it: data loaded by its schema."""
    return SimpleNamespace(data=registry.validate_on_receipt(event.type, event.version, event.data))


def projection(runtime) -> dict:
    with runtime.db.transaction() as session:
        teams = [dict(row) for row in session.execute(select(access_care_teams)).mappings()]
        members = [{**row, "practitioner_id": str(row["practitioner_id"])} for row in
                   session.execute(select(access_care_team_members)
                                   .order_by(access_care_team_members.c.membership_id)).mappings()]
    return {"teams": teams, "members": members}


def test_rolled_back_requests_publish_nothing(client, coordinator, runtime, staff):
    patient = staff.patient()
    client.patch(f"/patients/{patient['id']}", json={"time_zone": "UTC"}, headers={**coordinator, "If-Match": '"5"'})
    client.post(f"/patients/{patient['id']}/allergies", json={"substance_system": "rxnorm", "substance_code": "x",
                                                              "substance_name": "?"}, headers=coordinator)
    assert [e.type for e in outbox(runtime)] == ["patients.patient-registered"]


def test_periods_survive_the_round_trip_in_utc(runtime, staff, clock):
    patient = staff.patient()
    nurse = staff.practitioner("nurse")
    chicago_winter = timezone(timedelta(hours=-6))
    local_start = (clock.now() + timedelta(hours=2)).astimezone(chicago_winter).isoformat()
    staff.team(patient["id"], [{"practitioner_id": nurse["id"], "period_start": local_start}])
    [event] = outbox(runtime, "patients.care-team-changed")
    assert event.data["members"][0]["period_start"] == (clock.now() + timedelta(hours=2)).isoformat()
