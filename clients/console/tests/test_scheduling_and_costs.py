"""Booking a visit the plan asks for from the "to book" list, a clash named
in plain words, marking arrived; a cost estimate read out in plain words."""
from support import eventually, screenshot
from test_my_day import cast


def test_booking_from_the_to_book_list_and_a_clash(page, world, signed_in, browser, stack):
    coordinator, nurse, physician, patient, team = cast(world)
    world.open_all_week(coordinator, physician, ["cardiology-follow-up", "telehealth-check-in"])
    world.active_plan(physician, patient, team)
    eventually(lambda: len(list(coordinator.cb.scheduling.list_booking_requests(patient_id=str(patient.id)))) == 2,
               message="the plan's follow-ups on the to-book list")
    signed_in(page, coordinator)
    page.get_by_role("link", name="Scheduling").click()
    page.get_by_role("link", name=f"Find a time for Rosa {patient.family_name}").last.click()
    page.get_by_role("heading", name="Book a visit for").wait_for()
    first_slot = page.locator("ul.slots li").first
    first_slot.wait_for()
    screenshot(page, "scheduling-book")

    # Another coordinator takes the same time in the meantime.
    other = world.practitioner("coordinator", "Ben")
    start = first_slot.locator('input[name="start"]').get_attribute("value")
    type_code = first_slot.locator('input[name="appointment_type_code"]').get_attribute("value")
    other_patient = world.patient(other, given_name="Iris", family_name=f"Moreno{world.tag}")
    other.cb.scheduling.book_appointment(patient_id=str(other_patient.id), practitioner_id=physician.id,
                                         appointment_type_code=type_code, start=start)
    first_slot.get_by_role("button", name="Book").click()
    page.get_by_role("heading", name="Not booked").wait_for()
    assert "already booked at that time" in page.locator(".refusal").inner_text()
    screenshot(page, "scheduling-clash")

    page.locator("ul.slots li").nth(1).get_by_role("button", name="Book").click()
    page.get_by_text("Booked for").wait_for()
    booked = list(coordinator.cb.scheduling.search_appointments(patient_id=str(patient.id), status=["booked"]))
    assert len(booked) == 1 and booked[0].care_plan_id is not None
    page.get_by_role("heading", name="Upcoming").wait_for()
    page.get_by_role("button", name="Cancel").click()
    page.get_by_text("The appointment is cancelled.").wait_for()
    assert coordinator.cb.scheduling.get_appointment(booked[0].id).status == "cancelled"
    assert not [p for p in page.problems if "409" not in p], page.problems


def test_a_cost_estimate_reads_in_plain_words(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    payer = next(iter(world.admin.billing.list_payers()))
    plan = payer.plans[0]
    coordinator.cb.billing.record_coverage(
        patient_id=str(patient.id), payer_id=payer.payer_id, plan_id=plan.plan_id,
        member_id=f"M-{world.tag}", effective_start="2026-01-01", coinsurance_percent=20,
        deductible={"amount": "500.00", "currency": "USD"}, out_of_pocket_max={"amount": "3000.00", "currency": "USD"})
    signed_in(page, coordinator)
    page.goto(f"/patients/{patient.id}")
    page.get_by_role("link", name="Coverage and costs").click()
    page.get_by_label("Visit type").select_option("cardiology-follow-up")
    page.get_by_role("button", name="Estimate").click()
    heading = page.get_by_role("heading", name="What Rosa would pay")
    heading.wait_for()
    explanation = page.locator(".explanation").inner_text()
    assert len(explanation) > 40 and "$" in heading.inner_text()
    screenshot(page, "cost-estimate")
    assert not page.problems, page.problems


def test_a_recurring_therapy_series_lists_its_clashes(page, world, signed_in):
    import datetime as dt
    from zoneinfo import ZoneInfo
    coordinator, nurse, physician, patient, team = cast(world)
    world.open_all_week(coordinator, physician, ["physical-therapy", "cardiology-follow-up"])
    chicago = ZoneInfo("America/Chicago")
    today = dt.datetime.now(chicago).date()
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    # The physician already sees the patient then (another visit) at the series' second session.
    busy = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(10, 0), chicago)
    coordinator.cb.scheduling.book_appointment(patient_id=str(patient.id), practitioner_id=physician.id,
                                               appointment_type_code="cardiology-follow-up",
                                               start=busy.astimezone(dt.timezone.utc).isoformat())
    signed_in(page, coordinator)
    page.goto(f"/scheduling/series/{patient.id}")
    page.get_by_label("Visit type").select_option("physical-therapy")
    page.get_by_label("First day").fill(monday.isoformat())
    page.get_by_label("Weeks").fill("3")
    page.get_by_role("checkbox", name="Monday").check()
    page.get_by_label("Time on monday").fill("10:00")
    page.get_by_role("button", name="Book the series").click()
    page.get_by_role("heading", name="2 sessions booked, 1 not").wait_for()
    clashes = page.locator("ul.clashes li")
    assert clashes.count() == 1 and "already booked at that time" in clashes.inner_text()
    screenshot(page, "scheduling-series")
    assert len(list(coordinator.cb.scheduling.search_appointments(patient_id=str(patient.id),
                                                                  appointment_type_code="physical-therapy"))) == 2
