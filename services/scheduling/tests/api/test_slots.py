"""GET /slots: free times from schedules and appointments."""
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from carebridge.testing import assert_problem
from support import add_location, add_schedule

NEW_YORK = ZoneInfo("America/New_York")


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def slots(client, coordinator, world):
    def search(day, last_day=None, *, type_code="follow-up", time_zone="America/New_York", **params):
        query = {"appointment_type_code": type_code, "start_date": day, "end_date": last_day or day,
                 "time_zone": time_zone, "page_size": 100, **params}
        response = client.get("/slots", query_string=query, headers=coordinator)
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return search


def starts(page) -> list[datetime]:
    return [datetime.fromisoformat(item["start"]) for item in page["items"]]


def test_a_working_day_offers_every_quarter_hour_a_visit_fits(slots, world):
    page = slots("2026-03-03")
    assert page["total"] == 31  # 09:00 .. 16:30 for a 30-minute visit
    assert starts(page)[0] == ny(2026, 3, 3, 9) and starts(page)[-1] == ny(2026, 3, 3, 16, 30)
    first = page["items"][0]
    assert first["practitioner_id"] == str(world.practitioner_id) and first["location_id"] == str(world.clinic_id)
    assert first["setting"] == "outpatient-clinic"
    assert datetime.fromisoformat(first["end"]) - datetime.fromisoformat(first["start"]) == timedelta(minutes=30)


def test_slots_stay_at_local_time_across_spring_forward_and_fall_back(slots):
    assert starts(slots("2026-03-06"))[0].isoformat() == "2026-03-06T14:00:00+00:00"  # Friday, EST
    assert starts(slots("2026-03-09"))[0].isoformat() == "2026-03-09T13:00:00+00:00"  # Monday, EDT
    assert starts(slots("2026-10-30"))[0].isoformat() == "2026-10-30T13:00:00+00:00"  # Friday, EDT
    assert starts(slots("2026-11-02"))[0].isoformat() == "2026-11-02T14:00:00+00:00"  # Monday, EST


def test_local_times_are_shown_in_the_patients_time_zone(slots):
    item = slots("2026-03-03", time_zone="America/Los_Angeles")["items"][0]
    assert item["local_start"] == "2026-03-03T06:00:00-08:00" and item["time_zone"] == "America/Los_Angeles"


def test_nothing_in_the_past_is_offered(slots):
    # The clock says Monday 09:00 New York: the 09:00 slot has begun.
    assert starts(slots("2026-03-02"))[0] == ny(2026, 3, 2, 9, 15)


def test_a_booking_and_its_buffer_take_their_slots(slots, book):
    book(ny(2026, 3, 3, 10))
    free = starts(slots("2026-03-03"))
    # 09:30 would end at 10:00 and leave no 5-minute buffer; after the visit
    # (10:30) and its buffer (10:35) the next quarter hour is 10:45.
    assert ny(2026, 3, 3, 9, 15) in free and ny(2026, 3, 3, 10, 45) in free
    for taken in (ny(2026, 3, 3, 9, 30), ny(2026, 3, 3, 10), ny(2026, 3, 3, 10, 30)):
        assert taken not in free


def test_a_cancelled_booking_gives_its_slots_back(slots, book, client, coordinator):
    appointment = book(ny(2026, 3, 3, 10))
    client.put(f"/appointments/{appointment['id']}/status", json={"status": "cancelled", "reason_code": "weather"},
               headers={**coordinator, "If-Match": '"1"'})
    assert slots("2026-03-03")["total"] == 31


def test_time_off_and_extra_hours(slots, client, coordinator, world):
    for kind, start, end, location in (("time-off", ny(2026, 3, 3, 13), ny(2026, 3, 3, 15), None),
                                       ("extra-hours", ny(2026, 3, 7, 13), ny(2026, 3, 7, 15), world.clinic_id)):
        response = client.post(f"/schedules/{world.schedule_id}/exceptions", headers=coordinator, json={
            "kind": kind, "start": start.isoformat(), "end": end.isoformat(),
            "location_id": str(location) if location else None})
        assert response.status_code == 201, response.get_json()
    tuesday = starts(slots("2026-03-03"))
    assert ny(2026, 3, 3, 12, 30) in tuesday and ny(2026, 3, 3, 15) in tuesday
    assert not [s for s in tuesday if ny(2026, 3, 3, 12, 30) < s < ny(2026, 3, 3, 15)]
    assert starts(slots("2026-03-07")) == [ny(2026, 3, 7, 13) + timedelta(minutes=15 * k) for k in range(7)]


def test_types_are_offered_where_their_setting_is(slots):
    telehealth = slots("2026-03-02", "2026-03-08", type_code="telehealth-check-in")
    assert {item["setting"] for item in telehealth["items"]} == {"home-telehealth"}
    assert {datetime.fromisoformat(item["local_start"]).date().isoformat() for item in telehealth["items"]} \
        == {"2026-03-07"}  # Saturday mornings only
    assert slots("2026-03-07", type_code="follow-up")["total"] == 0
    assert slots("2026-03-03", type_code="echocardiogram")["total"] == 0  # nobody offers it at a hospital


def test_filters_by_setting_location_and_practitioner(slots, runtime, world):
    other, other_clinic = uuid.uuid4(), add_location(runtime, "outpatient-clinic")
    add_schedule(runtime, other, [{"weekday": 1, "start_time": "09:00", "end_time": "10:00",
                                   "location_id": other_clinic, "appointment_type_codes": ["follow-up"]}])
    assert slots("2026-03-03")["total"] == 31 + 3
    assert slots("2026-03-03", setting="outpatient-clinic")["total"] == 31 + 3
    assert slots("2026-03-03", setting="hospital")["total"] == 0
    assert slots("2026-03-03", location_id=str(world.clinic_id))["total"] == 31
    assert slots("2026-03-03", practitioner_id=str(other))["total"] == 3
    both_at_nine = [i["practitioner_id"] for i in slots("2026-03-03")["items"] if i["start"].startswith("2026-03-03T14:00")]
    assert both_at_nine == sorted(both_at_nine) and len(both_at_nine) == 2  # ties in a stable order


def test_pages_continue_where_the_last_ended(slots, client, coordinator):
    everything = starts(slots("2026-03-03", "2026-03-04"))
    query = {"appointment_type_code": "follow-up", "start_date": "2026-03-03", "end_date": "2026-03-04",
             "time_zone": "America/New_York", "page_size": 25}
    pages = [client.get("/slots", query_string={**query, "page": n}, headers=coordinator).get_json()
             for n in (1, 2, 3)]
    assert [p["total"] for p in pages] == [62, 62, 62]
    assert sum((starts(p) for p in pages), []) == everything


def test_a_search_asked_again_sees_the_bookings_made_since(slots, book, client, coordinator, runtime, world):
    # Searches are answered partly from what the process kept from the same
    # search before: a booking or a cancellation in between must show at once,
    # for that practitioner only, in the total, the order and the pages.
    other = uuid.uuid4()
    add_schedule(runtime, other, [{"weekday": 1, "start_time": "09:00", "end_time": "12:00",
                                   "location_id": world.clinic_id}])
    before = slots("2026-03-03")
    assert before["total"] == 31 + 11 and slots("2026-03-03") == before
    appointment = book(ny(2026, 3, 3, 10))
    after = slots("2026-03-03")
    assert after["total"] == before["total"] - 5  # 09:30 to 10:30 of the booked practitioner (visit, buffer)
    mine = [datetime.fromisoformat(i["start"]) for i in after["items"] if i["practitioner_id"] == str(world.practitioner_id)]
    theirs = [i["start"] for i in after["items"] if i["practitioner_id"] == str(other)]
    assert ny(2026, 3, 3, 10) not in mine and ny(2026, 3, 3, 9, 15) in mine and len(theirs) == 11
    assert [(i["start"], i["practitioner_id"]) for i in after["items"]] == sorted(
        (i["start"], i["practitioner_id"]) for i in after["items"])
    query = {"appointment_type_code": "follow-up", "start_date": "2026-03-03", "end_date": "2026-03-03",
             "time_zone": "America/New_York", "page_size": 10}
    pages = [client.get("/slots", query_string={**query, "page": n}, headers=coordinator).get_json()
             for n in range(1, 6)]
    assert [p["total"] for p in pages] == [after["total"]] * 5
    assert sum((p["items"] for p in pages), []) == after["items"]
    client.put(f"/appointments/{appointment['id']}/status", json={"status": "cancelled", "reason_code": "weather"},
               headers={**coordinator, "If-Match": '"1"'})
    assert slots("2026-03-03") == before


def test_the_page_is_what_its_documented_schema_dumps(slots):
    from carebridge.web import paged
    from carebridge_scheduling.api.slots import SlotSchema

    page = slots("2026-03-03", time_zone="Asia/Kolkata", page_size=5, page=2)
    schema = paged(SlotSchema)()
    assert schema.validate(page) == {} and schema.dump(schema.load(page)) == page


@pytest.mark.parametrize("params,field", [
    ({"appointment_type_code": None}, "query.appointment_type_code"),
    ({"start_date": "someday"}, "query.start_date"),
    ({"end_date": "2026-03-01"}, "query.end_date"),
    ({"end_date": "2026-04-30"}, "query.end_date"),
    ({"time_zone": "Mars/Olympus_Mons"}, "query.time_zone"),
    ({"setting": "spaceship"}, "query.setting"),
    ({"appointment_type_code": "acupuncture"}, "query.appointment_type_code"),
    ({"page_size": 1000}, "query.page_size"),
])
def test_bad_queries_are_422_naming_the_parameter(client, coordinator, world, params, field):
    query = {"appointment_type_code": "follow-up", "start_date": "2026-03-03", "end_date": "2026-03-09", **params}
    query = {k: v for k, v in query.items() if v is not None}
    body = assert_problem(client.get("/slots", query_string=query, headers=coordinator), 422)
    assert field in body["errors"]


def test_slots_need_a_token_but_any_role(client, auth, world):
    query = {"appointment_type_code": "follow-up", "start_date": "2026-03-03", "end_date": "2026-03-03"}
    assert_problem(client.get("/slots", query_string=query), 401)
    assert client.get("/slots", query_string=query, headers=auth("billing")).status_code == 200


def test_far_off_dates_are_422_not_an_overflow(client, coordinator, world):
    query = {"appointment_type_code": "follow-up", "start_date": "9999-12-31", "end_date": "9999-12-31"}
    assert "query.start_date" in assert_problem(client.get("/slots", query_string=query, headers=coordinator),
                                                422)["errors"]
