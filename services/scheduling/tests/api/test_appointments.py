"""Reading, listing, rescheduling and the status lifecycle of appointments."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from carebridge.testing import assert_problem, audit_trail, outbox, put_on_care_team
from support import event_types, register_patient

NEW_YORK = ZoneInfo("America/New_York")


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def put_status(client, headers, appointment, status, version=None, **fields):
    return client.put(f"/appointments/{appointment['id']}/status", json={"status": status, **fields},
                      headers={**headers, "If-Match": f'"{version or appointment["version"]}"'})


class TestRead:
    def test_one_appointment_with_its_etag_and_one_audit_record(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        response = client.get(f"/appointments/{appointment['id']}", headers=coordinator)
        assert response.status_code == 200 and response.headers["ETag"] == '"1"'
        assert response.get_json() == appointment
        reads = [r for r in audit_trail(runtime) if r["action"] == "read"]
        assert [(r["resource_id"], r["outcome"]) for r in reads] == [(appointment["id"], "success")]

    def test_unknown_is_404(self, client, coordinator, world):
        assert_problem(client.get(f"/appointments/{uuid.uuid4()}", headers=coordinator), 404)

    def test_the_care_team_may_read_others_may_not(self, client, auth, book, world, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        member, stranger = uuid.uuid4(), uuid.uuid4()
        put_on_care_team(runtime, world.patient_id, member)
        assert client.get(f"/appointments/{appointment['id']}", headers=auth("physician", sub=member)).status_code \
            == 200
        assert_problem(client.get(f"/appointments/{appointment['id']}", headers=auth("physician", sub=stranger)),
                       403)
        assert_problem(client.get(f"/appointments/{appointment['id']}", headers=auth("billing")), 403)
        assert [r["outcome"] for r in audit_trail(runtime) if r["action"] == "read"] == ["success", "denied"]


class TestList:
    def test_coordinators_see_all_with_a_search_record_per_patient_shown(self, client, coordinator, book, world,
                                                                         runtime):
        other = register_patient(runtime)
        book(ny(2026, 3, 3, 10))
        book(ny(2026, 3, 3, 11), patient_id=str(other))
        page = client.get("/appointments", headers=coordinator).get_json()
        assert page["total"] == 2 and [a["start"] for a in page["items"]] == [
            "2026-03-03T15:00:00+00:00", "2026-03-03T16:00:00+00:00"]
        searches = [r for r in audit_trail(runtime) if r["action"] == "search"]
        assert sorted(r["patient_id"] for r in searches) == sorted({a["patient_id"] for a in page["items"]})

    def test_clinicians_see_only_their_patients(self, client, auth, book, world, runtime):
        nurse = uuid.uuid4()
        theirs = register_patient(runtime)
        put_on_care_team(runtime, theirs, nurse)
        book(ny(2026, 3, 3, 10))
        mine = book(ny(2026, 3, 3, 11), patient_id=str(theirs))
        page = client.get("/appointments", headers=auth("nurse", sub=nurse)).get_json()
        assert [a["id"] for a in page["items"]] == [mine["id"]]

    def test_one_patients_list_is_checked_and_audited_as_theirs(self, client, auth, coordinator, book, world,
                                                               runtime):
        book(ny(2026, 3, 3, 10))
        page = client.get("/appointments", query_string={"patient_id": str(world.patient_id)},
                          headers=coordinator).get_json()
        assert page["total"] == 1
        assert_problem(client.get("/appointments", query_string={"patient_id": str(world.patient_id)},
                                  headers=auth("nurse", sub=uuid.uuid4())), 403)
        assert [(r["action"], r["patient_id"], r["outcome"]) for r in audit_trail(runtime)
                if r["action"] == "search"] == [("search", str(world.patient_id), "success"),
                                                ("search", str(world.patient_id), "denied")]

    def test_filters(self, client, coordinator, book, world):
        first = book(ny(2026, 3, 3, 10))
        book(ny(2026, 3, 4, 10))
        put_status(client, coordinator, first, "cancelled", reason_code="weather")
        query = {"status": "booked", "start_from": "2026-03-04T00:00:00Z", "start_before": "2026-03-05T00:00:00Z",
                 "practitioner_id": str(world.practitioner_id)}
        assert client.get("/appointments", query_string=query, headers=coordinator).get_json()["total"] == 1
        assert client.get("/appointments", query_string={"status": "cancelled"},
                          headers=coordinator).get_json()["total"] == 1
        assert_problem(client.get("/appointments", query_string={"status": "lost"}, headers=coordinator), 422)


class TestReschedule:
    def test_moves_the_visit_keeps_its_id_and_announces_the_move(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        response = client.patch(f"/appointments/{appointment['id']}", json={"start": "2026-03-04T16:00:00Z"},
                                headers={**coordinator, "If-Match": '"1"'})
        assert response.status_code == 200 and response.headers["ETag"] == '"2"'
        moved = response.get_json()
        assert moved["id"] == appointment["id"] and moved["start"] == "2026-03-04T16:00:00+00:00"
        assert moved["end"] == "2026-03-04T16:30:00+00:00" and moved["status"] == "booked"
        (event,) = outbox(runtime, "scheduling.appointment-rescheduled")
        assert (event.data["start"], event.data["previous_start"], event.data["previous_end"]) == (
            "2026-03-04T16:00:00+00:00", "2026-03-03T15:00:00+00:00", "2026-03-03T15:30:00+00:00")
        # The old time is free again, the new one taken.
        book(ny(2026, 3, 3, 10), patient_id=str(register_patient(runtime)))

    def test_needs_the_current_etag(self, client, coordinator, book):
        appointment = book(ny(2026, 3, 3, 10))
        url = f"/appointments/{appointment['id']}"
        assert_problem(client.patch(url, json={"start": "2026-03-04T16:00:00Z"}, headers=coordinator), 428)
        assert_problem(client.patch(url, json={"start": "2026-03-04T16:00:00Z"},
                                    headers={**coordinator, "If-Match": '"7"'}), 412)
        assert client.get(url, headers=coordinator).get_json()["start"] == appointment["start"]

    def test_onto_a_taken_or_unavailable_time_changes_nothing(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        book(ny(2026, 3, 4, 10), patient_id=str(register_patient(runtime)))
        url, headers = f"/appointments/{appointment['id']}", {**coordinator, "If-Match": '"1"'}
        assert assert_problem(client.patch(url, json={"start": "2026-03-04T15:15:00Z"}, headers=headers),
                              409)["reason"] == "practitioner-busy"
        assert assert_problem(client.patch(url, json={"start": "2026-03-04T04:00:00Z"}, headers=headers),
                              422)["reason"] == "outside-availability"
        # A move that overlaps only its own old time is fine.
        assert client.patch(url, json={"start": "2026-03-03T15:15:00Z"}, headers=headers).status_code == 200
        assert outbox(runtime, "scheduling.appointment-rescheduled")[0].data["previous_start"] == \
            "2026-03-03T15:00:00+00:00"

    def test_only_booked_or_pending_visits_move(self, client, coordinator, book):
        appointment = book(ny(2026, 3, 3, 10))
        put_status(client, coordinator, appointment, "cancelled", reason_code="patient-request")
        problem = assert_problem(client.patch(f"/appointments/{appointment['id']}", json={
            "start": "2026-03-04T16:00:00Z"}, headers={**coordinator, "If-Match": '"2"'}), 409)
        assert problem["allowed_from"] == ["booked", "pending"]

    def test_404_403_and_bad_input(self, client, auth, coordinator, book, world):
        appointment = book(ny(2026, 3, 3, 10))
        headers = {**coordinator, "If-Match": '"1"'}
        assert_problem(client.patch(f"/appointments/{uuid.uuid4()}", json={"start": "2026-03-04T16:00:00Z"},
                                    headers=headers), 404)
        assert_problem(client.patch(f"/appointments/{appointment['id']}", json={"start": "tomorrow"},
                                    headers=headers), 422)
        assert_problem(client.patch(f"/appointments/{appointment['id']}", json={"start": "2026-03-04T16:00:00Z"},
                                    headers={**auth("nurse", sub=uuid.uuid4()), "If-Match": '"1"'}), 403)


class TestStatus:
    def test_check_in_then_complete_announces_both(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        checked_in = put_status(client, coordinator, appointment, "checked-in")
        assert checked_in.status_code == 200 and checked_in.get_json()["checked_in_at"] == "2026-03-02T14:00:00+00:00"
        done = put_status(client, coordinator, checked_in.get_json(), "fulfilled").get_json()
        assert done["status"] == "fulfilled" and done["completed_at"] is not None and done["version"] == 3
        assert event_types(outbox(runtime))[1:] == ["scheduling.appointment-checked-in",
                                                    "scheduling.appointment-completed"]
        completed = outbox(runtime, "scheduling.appointment-completed")[0].data
        assert completed["service_code"] == "99214" and completed["status"] == "fulfilled"

    def test_arrived_is_silent_and_leads_to_check_in(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        arrived = put_status(client, coordinator, appointment, "arrived").get_json()
        assert arrived["status"] == "arrived" and len(outbox(runtime)) == 1
        assert put_status(client, coordinator, arrived, "checked-in").status_code == 200

    def test_a_refused_move_is_409_naming_the_allowed_ones(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        problem = assert_problem(put_status(client, coordinator, appointment, "fulfilled"), 409)
        assert problem["allowed"] == ["arrived", "cancelled", "checked-in", "entered-in-error", "noshow"]
        assert problem["current_status"] == "booked" and problem["requested_status"] == "fulfilled"
        put_status(client, coordinator, appointment, "cancelled", reason_code="weather")
        problem = assert_problem(put_status(client, coordinator, appointment, "booked", version=2), 409)
        assert problem["allowed"] == ["entered-in-error"]
        assert len(outbox(runtime)) == 2

    def test_cancelling_needs_a_reason_that_is_announced(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        assert "reason_code" in assert_problem(put_status(client, coordinator, appointment, "cancelled"),
                                               422)["errors"]
        assert "reason_code" in assert_problem(put_status(client, coordinator, appointment, "cancelled",
                                                          reason_code="patient-deactivated"), 422)["errors"]
        cancelled = put_status(client, coordinator, appointment, "cancelled", reason_code="patient-request").get_json()
        assert (cancelled["status"], cancelled["cancel_reason_code"]) == ("cancelled", "patient-request")
        (event,) = outbox(runtime, "scheduling.appointment-cancelled")
        assert (event.data["reason_code"], event.data["status"]) == ("patient-request", "cancelled")

    def test_no_show_only_after_the_start_and_it_is_not_a_cancellation(self, client, coordinator, book, runtime,
                                                                       clock):
        appointment = book(ny(2026, 3, 3, 10))
        assert_problem(put_status(client, coordinator, appointment, "noshow"), 422)
        clock.set(ny(2026, 3, 3, 10, 20))
        missed = put_status(client, coordinator, appointment, "noshow").get_json()
        assert missed["status"] == "noshow" and missed["cancel_reason_code"] is None
        (event,) = outbox(runtime, "scheduling.appointment-missed")
        assert event.data["grace_minutes"] == 15 and outbox(runtime, "scheduling.appointment-cancelled") == []

    @pytest.mark.parametrize("corrected,announced", [
        ("arrived", []), ("checked-in", ["scheduling.appointment-checked-in"]),
        ("fulfilled", ["scheduling.appointment-completed"])])
    def test_a_wrong_no_show_is_corrected_and_the_correction_announced(self, client, coordinator, book, runtime,
                                                                      clock, corrected, announced):
        appointment = book(ny(2026, 3, 3, 10))
        clock.set(ny(2026, 3, 3, 10, 20))
        missed = put_status(client, coordinator, appointment, "noshow").get_json()
        fixed = put_status(client, coordinator, missed, corrected).get_json()
        assert fixed["status"] == corrected
        assert event_types(outbox(runtime))[2:] == ["scheduling.appointment-noshow-corrected", *announced]
        correction = outbox(runtime, "scheduling.appointment-noshow-corrected")[0].data
        assert correction["status"] == corrected and correction["corrected_by"] == fixed["booked_by"]

    def test_entered_in_error_voids_an_announced_visit(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10))
        voided = put_status(client, coordinator, appointment, "entered-in-error", reason_code="duplicate").get_json()
        assert voided["status"] == "entered-in-error"
        (event,) = outbox(runtime, "scheduling.appointment-cancelled")
        assert (event.data["status"], event.data["reason_code"]) == ("entered-in-error", "duplicate")
        assert_problem(put_status(client, coordinator, voided, "cancelled", reason_code="weather"), 409)

    def test_a_pending_visit_is_announced_when_it_is_confirmed(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10), status="pending")
        assert outbox(runtime) == []
        booked = put_status(client, coordinator, appointment, "booked").get_json()
        assert booked["status"] == "booked"
        assert event_types(outbox(runtime)) == ["scheduling.appointment-booked"]

    def test_a_pending_visit_cancelled_was_never_announced_so_nothing_is(self, client, coordinator, book, runtime):
        appointment = book(ny(2026, 3, 3, 10), status="pending")
        put_status(client, coordinator, appointment, "cancelled", reason_code="patient-request")
        assert outbox(runtime) == []

    def test_etag_404_403_and_unknown_status(self, client, auth, coordinator, book):
        appointment = book(ny(2026, 3, 3, 10))
        url = f"/appointments/{appointment['id']}/status"
        assert_problem(client.put(url, json={"status": "checked-in"}, headers=coordinator), 428)
        assert_problem(client.put(url, json={"status": "checked-in"}, headers={**coordinator, "If-Match": '"9"'}),
                       412)
        assert_problem(client.put(url, json={"status": "teleported"}, headers={**coordinator, "If-Match": '"1"'}),
                       422)
        assert_problem(client.put(f"/appointments/{uuid.uuid4()}/status", json={"status": "checked-in"},
                                  headers={**coordinator, "If-Match": '"1"'}), 404)
        assert_problem(client.put(url, json={"status": "checked-in"},
                                  headers={**auth("specialist", sub=uuid.uuid4()), "If-Match": '"1"'}), 403)
