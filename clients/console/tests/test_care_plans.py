"""Editing a care plan through a medication-safety refusal and a physician's
override; a stale edit offers the latest version; history and diff."""
from support import screenshot
from test_my_day import cast


def add_lisinopril(page):
    page.get_by_label("Medication", exact=True).fill("lisinopril")
    page.get_by_label("RxNorm code").fill("29046")
    page.get_by_label("Dose").fill("10 mg")
    page.get_by_label("How often").select_option("once-daily")
    page.get_by_label("Why the plan changes").fill("Blood pressure still high")
    page.get_by_role("button", name="Add medication").click()


def test_a_refused_medication_is_explained_and_a_physician_overrides_it(page, world, signed_in, browser, stack):
    coordinator, nurse, physician, patient, team = cast(world)
    plan = world.active_plan(physician, patient, team)
    signed_in(page, coordinator)
    page.goto(f"/care-plans/{plan.id}")
    add_lisinopril(page)
    refusal = page.locator("#refusal")
    refusal.wait_for()
    text = refusal.inner_text()
    assert "lisinopril and sacubitril/valsartan" in text and "Contraindicated" in text
    assert "ask a physician or nurse" in text and refusal.get_by_role("button").count() == 0
    assert page.get_by_label("Medication", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Medication", exact=True).input_value() == "lisinopril"
    assert not any(a.medication and a.medication.name == "lisinopril"
                   for a in physician.cb.careplans.get(plan.id).activities)

    context = browser.new_context(base_url=stack.url, viewport={"width": 1360, "height": 900})
    doctor = context.new_page()
    doctor.set_default_timeout(10_000)
    signed_in(doctor, physician)
    doctor.goto(f"/care-plans/{plan.id}")
    add_lisinopril(doctor)
    doctor.locator("#refusal").wait_for()
    screenshot(doctor, "care-plan-refusal")
    doctor.get_by_label("Reason for the override").fill("Cardiology advised; sacubitril/valsartan stops today")
    doctor.get_by_role("button", name="Add it anyway (override)").click()
    doctor.get_by_text("The medication is added with your override").wait_for()
    current = physician.cb.careplans.get(plan.id)
    assert any(a.medication and a.medication.name == "lisinopril" for a in current.activities)
    alerts = list(physician.cb.careplans.list_medication_alerts(plan_id=str(plan.id), outcome="overridden"))
    assert alerts and alerts[0].override_reason.startswith("Cardiology advised")
    context.close()
    assert not [p for p in page.problems if "409" not in p], page.problems


def test_a_stale_edit_offers_the_latest_version(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    plan = world.active_plan(physician, patient, team)
    signed_in(page, coordinator)
    page.goto(f"/care-plans/{plan.id}")
    # Meanwhile the physician changes the plan.
    physician.cb.careplans.get(plan.id)
    physician.cb.careplans.revise(plan.id, reason="New goal", goals=[{"description": "Walk 20 minutes a day",
                                                                      "lifecycle_status": "active"}])
    page.get_by_label("New goal").fill("Sleep with the head raised")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_role("heading", name="This plan changed while you were editing").wait_for()
    page.get_by_role("link", name="Reload the latest version").click()
    page.get_by_text("Walk 20 minutes a day").wait_for()
    goals = [g.description for g in physician.cb.careplans.get(plan.id).goals]
    assert "Sleep with the head raised" not in goals
    page.get_by_label("New goal").fill("Sleep with the head raised")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_text("The goal is added.").wait_for()
    page.get_by_role("link", name="Version history and changes").click()
    page.get_by_role("heading", name="Version 3 and version 4").wait_for()
    assert "Sleep with the head raised" in page.locator(".diff > div").nth(1).inner_text()
    assert "Sleep with the head raised" not in page.locator(".diff > div").nth(0).inner_text()
    screenshot(page, "care-plan-history")
    # The printable plain-language summary of the latest version.
    page.goto(f"/care-plans/{plan.id}")
    page.get_by_role("link", name="Printable summary for the patient").click()
    page.wait_for_load_state()
    assert "Sleep with the head raised" in page.content()
