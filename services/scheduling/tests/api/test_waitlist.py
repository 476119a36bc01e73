"""The waitlist: a freed slot is offered to the first patient in line and
held for them; it passes on when they decline or do not answer in time."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from carebridge.testing import assert_problem, audit_trail, deliver, outbox
from carebridge_scheduling.jobs.waitlist_holds import EXPIRED_WAITLIST_HOLDS
from support import event_types, patient_event, register_patient

release_expired_holds = EXPIRED_WAITLIST_HOLDS.run

NEW_YORK = ZoneInfo("America/New_York")


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def waiting(client, coordinator, world, runtime, clock):
    """join(patient_id) -> a waitlist entry wanting a follow-up before 20 March
    (each a second after the one before: first come, first offered)."""
    def join(patient_id=None, **fields):
        clock.advance(seconds=1)
        response = client.post("/waitlist", headers=coordinator, json={
            "patient_id": str(patient_id or register_patient(runtime)), "practitioner_id": str(world.practitioner_id),
            "appointment_type_code": "follow-up", "wanted_before": ny(2026, 3, 20).isoformat(), **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return join


@pytest.fixture
def freed(book, client, coordinator):
    """A booked visit on Tuesday 10:00 that is then cancelled: the slot frees."""
    def free(start=None):
        appointment = book(start or ny(2026, 3, 3, 10))
        response = client.put(f"/appointments/{appointment['id']}/status", headers={**coordinator, "If-Match": '"1"'},
                              json={"status": "cancelled", "reason_code": "patient-request"})
        assert response.status_code == 200
        return appointment
    return free


def entry_of(client, headers, entry):
    return client.get(f"/waitlist/{entry['id']}", headers=headers).get_json()


def test_a_freed_slot_is_offered_to_the_first_in_line_and_held(client, coordinator, waiting, freed, runtime):
    first, second = waiting(), waiting()
    freed()
    offered = entry_of(client, coordinator, first)
    assert offered["status"] == "offered" and entry_of(client, coordinator, second)["status"] == "waiting"
    assert offered["offer"]["start"] == "2026-03-03T15:00:00+00:00"
    assert offered["offer"]["hold_expires_at"] == "2026-03-02T16:00:02+00:00"  # two hours from now
    (event,) = outbox(runtime, "scheduling.waitlist-offered")
    assert event.data == {"waitlist_entry_id": first["id"], "patient_id": first["patient_id"],
                          "practitioner_id": first["practitioner_id"], "appointment_type_code": "follow-up",
                          "slot_start": "2026-03-03T15:00:00+00:00", "slot_end": "2026-03-03T15:30:00+00:00",
                          "hold_expires_at": "2026-03-02T16:00:02+00:00"}
    # The held slot is nobody else's meanwhile.
    hold = client.get(f"/appointments/{offered['offer']['appointment_id']}", headers=coordinator).get_json()
    assert hold["status"] == "proposed" and hold["patient_id"] == first["patient_id"]
    assert_problem(client.post("/appointments", headers=coordinator, json={
        "patient_id": second["patient_id"], "practitioner_id": first["practitioner_id"],
        "appointment_type_code": "follow-up", "start": "2026-03-03T15:00:00Z"}), 409)


def test_accepting_books_the_held_slot(client, coordinator, waiting, freed, runtime):
    entry = waiting()
    freed()
    response = client.post(f"/waitlist/{entry['id']}/accept", headers=coordinator)
    assert response.status_code == 200
    appointment = response.get_json()
    assert appointment["status"] == "booked" and appointment["waitlist_entry_id"] == entry["id"]
    assert appointment["hold_expires_at"] is None
    done = entry_of(client, coordinator, entry)
    assert done["status"] == "booked" and done["booked_appointment_id"] == appointment["id"] and done["offer"] is None
    booked = outbox(runtime, "scheduling.appointment-booked")
    assert [e.data["appointment_id"] for e in booked][-1] == appointment["id"]
    assert_problem(client.post(f"/waitlist/{entry['id']}/accept", headers=coordinator), 409)


def test_declining_passes_the_slot_to_the_next_and_keeps_waiting(client, coordinator, waiting, freed, runtime):
    first, second = waiting(), waiting()
    freed()
    declined = client.post(f"/waitlist/{first['id']}/decline", headers=coordinator).get_json()
    assert declined["status"] == "waiting" and declined["offer"] is None
    assert entry_of(client, coordinator, second)["status"] == "offered"
    assert [e.data["waitlist_entry_id"] for e in outbox(runtime, "scheduling.waitlist-offered")] == [
        first["id"], second["id"]]
    assert outbox(runtime, "scheduling.appointment-cancelled")[-1].data["patient_id"] != first["patient_id"]


def test_an_unanswered_offer_expires_and_passes_on(client, coordinator, waiting, freed, runtime, clock):
    first, second = waiting(), waiting()
    freed()
    clock.advance(minutes=119)
    assert release_expired_holds(runtime) == 0
    clock.advance(minutes=1)
    assert_problem(client.post(f"/waitlist/{first['id']}/accept", headers=coordinator), 409)  # expired
    assert release_expired_holds(runtime) == 1
    assert release_expired_holds(runtime) == 0
    assert entry_of(client, coordinator, first)["status"] == "waiting"
    assert entry_of(client, coordinator, second)["offer"]["start"] == "2026-03-03T15:00:00+00:00"
    assert len(outbox(runtime, "scheduling.waitlist-offered")) == 2


def test_only_matching_entries_are_offered(client, coordinator, waiting, freed, runtime, world):
    waiting(wanted_before=ny(2026, 3, 3, 9).isoformat())                 # wants something earlier still
    waiting(not_before=ny(2026, 3, 4).isoformat())                        # cannot come before Wednesday
    waiting(appointment_type_code="echocardiogram")                       # not offered at the clinic
    deactivated = waiting()
    deliver(runtime, patient_event("patients.patient-updated", uuid.UUID(deactivated["patient_id"]), revision=2,
                                   status="inactive"))
    freed()
    assert outbox(runtime, "scheduling.waitlist-offered") == []


def test_withdrawing_releases_the_held_slot_to_the_next(client, coordinator, waiting, freed):
    first, second = waiting(), waiting()
    freed()
    withdrawn = client.post(f"/waitlist/{first['id']}/withdraw", headers=coordinator).get_json()
    assert withdrawn["status"] == "withdrawn"
    assert entry_of(client, coordinator, second)["status"] == "offered"
    assert_problem(client.post(f"/waitlist/{first['id']}/withdraw", headers=coordinator), 409)


def test_a_rescheduled_visit_frees_its_old_slot_for_the_waitlist(client, coordinator, waiting, book, runtime):
    entry = waiting()
    appointment = book(ny(2026, 3, 3, 10))
    client.patch(f"/appointments/{appointment['id']}", json={"start": "2026-03-05T15:00:00Z"},
                 headers={**coordinator, "If-Match": '"1"'})
    assert entry_of(client, coordinator, entry)["offer"]["start"] == "2026-03-03T15:00:00+00:00"


def test_entries_past_their_wanted_before_expire(client, coordinator, waiting, runtime, clock):
    entry = waiting(wanted_before=ny(2026, 3, 2, 12).isoformat())
    clock.advance(hours=4)
    release_expired_holds(runtime)
    assert entry_of(client, coordinator, entry)["status"] == "expired"


class TestValidationAndAccess:
    def test_bad_entries_are_422(self, client, coordinator, world, runtime):
        good = {"patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
                "appointment_type_code": "follow-up", "wanted_before": ny(2026, 3, 20).isoformat()}
        for change, field in (({"wanted_before": ny(2026, 3, 1).isoformat()}, "wanted_before"),
                              ({"not_before": ny(2026, 3, 21).isoformat()}, "not_before"),
                              ({"appointment_type_code": "yoga"}, "appointment_type_code"),
                              ({"location_id": str(uuid.uuid4())}, "location_id"),
                              ({"wanted_before": "soon"}, "wanted_before")):
            assert field in assert_problem(client.post("/waitlist", json={**good, **change}, headers=coordinator),
                                           422)["errors"]

    def test_404_and_403_with_audit(self, client, auth, coordinator, waiting, runtime):
        entry = waiting()
        stranger = auth("nurse", sub=uuid.uuid4())
        for method, path in (("get", ""), ("post", "/accept"), ("post", "/decline"), ("post", "/withdraw")):
            assert_problem(getattr(client, method)(f"/waitlist/{uuid.uuid4()}{path}", headers=coordinator), 404)
            assert_problem(getattr(client, method)(f"/waitlist/{entry['id']}{path}", headers=stranger), 403)
        assert [r["outcome"] for r in audit_trail(runtime) if r["resource_id"] == entry["id"]] == [
            "success", "denied", "denied", "denied", "denied"]

    def test_lists_are_filtered_and_audited_once(self, client, auth, coordinator, waiting, runtime):
        waiting(), waiting()
        page = client.get("/waitlist", query_string={"status": "waiting"}, headers=coordinator).get_json()
        assert page["total"] == 2
        assert client.get("/waitlist", headers=auth("nurse", sub=uuid.uuid4())).get_json()["total"] == 0
        # The coordinator's list showed the entries' patient(s); the nurse's nobody.
        searches = [r["patient_id"] for r in audit_trail(runtime) if r["action"] == "search"]
        assert sorted(searches, key=str) == sorted([*{i["patient_id"] for i in page["items"]}, None], key=str)
        assert event_types(outbox(runtime)) == []
