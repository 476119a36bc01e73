"""Rescheduling a booked visit from the patient page (a clash named in plain
words, the visit left where it was), and the waitlist: adding the patient
to it and seeing it listed, then taking them off."""
import datetime as dt

from support import screenshot
from test_my_day import cast


def _free_times(person, physician, code: str, count: int) -> list[str]:
    today = dt.date.today()
    slots = list(person.cb.scheduling.search_slots(appointment_type_code=code, start_date=(today + dt.timedelta(days=1)).isoformat(),
                                                   end_date=(today + dt.timedelta(days=3)).isoformat(),
                                                   time_zone="America/Chicago", practitioner_id=physician.id,
                                                   page_size=count))
    return [s.start.isoformat() if hasattr(s.start, "isoformat") else s.start for s in slots[:count]]


def test_rescheduling_a_visit_names_a_clash_then_moves_it(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    world.open_all_week(coordinator, physician, ["cardiology-follow-up"])
    first = _free_times(coordinator, physician, "cardiology-follow-up", 1)[0]
    booked = coordinator.cb.scheduling.book_appointment(patient_id=str(patient.id), practitioner_id=physician.id,
                                                        appointment_type_code="cardiology-follow-up", start=first)
    signed_in(page, coordinator)
    page.goto(f"/patients/{patient.id}")
    page.get_by_role("link", name="Reschedule cardiology-follow-up").click()
    page.get_by_role("heading", name="Reschedule a visit for").wait_for()
    slots = page.locator("ul.slots li")
    slots.first.wait_for()
    assert first not in [slots.nth(i).locator('input[name="start"]').get_attribute("value")
                         for i in range(slots.count())], "the visit's own time is not offered"
    screenshot(page, "scheduling-reschedule")

    # Another coordinator books someone else into the first free time meanwhile.
    taken = slots.first.locator('input[name="start"]').get_attribute("value")
    other = world.practitioner("coordinator", "Ben")
    other_patient = world.patient(other, given_name="Iris", family_name=f"Moreno{world.tag}")
    other.cb.scheduling.book_appointment(patient_id=str(other_patient.id), practitioner_id=physician.id,
                                         appointment_type_code="cardiology-follow-up", start=taken)
    slots.first.get_by_role("button", name="Move to").click()
    page.get_by_role("heading", name="Not moved").wait_for()
    assert "already booked at that time" in page.locator(".refusal").inner_text()
    assert coordinator.cb.scheduling.get_appointment(booked.id).start == booked.start, "the visit stayed put"

    chosen = page.locator("ul.slots li").first
    wanted = chosen.locator('input[name="start"]').get_attribute("value")
    assert wanted != taken
    chosen.get_by_role("button", name="Move to").click()
    page.get_by_text("Moved to").wait_for()
    moved = coordinator.cb.scheduling.get_appointment(booked.id)
    assert moved.status == "booked"
    assert moved.start == dt.datetime.fromisoformat(wanted) != booked.start
    page.get_by_role("heading", name="Upcoming").wait_for()
    assert not [p for p in page.problems if "409" not in p], page.problems


def test_the_waitlist_on_the_patient_page(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    signed_in(page, coordinator)
    page.goto(f"/patients/{patient.id}")
    assert "Not waiting for an earlier time." in page.locator("#appt-h").locator("..").inner_text()
    page.get_by_label("Waitlist visit type").select_option("cardiology-follow-up")
    page.get_by_label("Waitlist clinician").select_option(physician.id)
    before = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    page.get_by_label("Wanted before").fill(before)
    page.get_by_role("button", name="Add to the waitlist").click()
    page.get_by_text(f"Added to the waitlist for a visit before {before}.").wait_for()
    entries = list(coordinator.cb.scheduling.list_waitlist_entries(patient_id=str(patient.id)))
    assert [(e.appointment_type_code, str(e.practitioner_id), e.status) for e in entries] == [
        ("cardiology-follow-up", physician.id, "waiting")]
    listed = page.locator("ul.waitlist li")
    assert listed.count() == 1
    assert "cardiology-follow-up" in listed.inner_text() and "waiting" in listed.inner_text()
    screenshot(page, "scheduling-waitlist")

    # A day that is not a day is refused in words, and nothing is added.
    page.get_by_label("Waitlist visit type").select_option("cardiology-follow-up")
    page.get_by_label("Wanted before").evaluate("el => { el.type = 'text'; el.value = 'soon'; }")
    page.get_by_role("button", name="Add to the waitlist").click()
    page.get_by_text("Give the day the patient wants to be seen before.").wait_for()
    assert len(list(coordinator.cb.scheduling.list_waitlist_entries(patient_id=str(patient.id)))) == 1

    page.get_by_role("button", name="Take off the waitlist for cardiology-follow-up").click()
    page.get_by_text("Taken off the waitlist.").wait_for()
    assert [e.status for e in coordinator.cb.scheduling.list_waitlist_entries(patient_id=str(patient.id))] == [
        "withdrawn"]
    assert "withdrawn" in page.locator("ul.waitlist li").inner_text()
    assert not page.problems, page.problems
