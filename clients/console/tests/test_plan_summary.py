"""The printable plain-language summary of a care plan, in the patient's
language (Spanish here), printed alone, and sent to the patient and family
from the page: the confirmation, and a refusal shown in plain words."""
from support import eventually, screenshot
from test_my_day import cast


def test_the_summary_is_in_the_patients_language_prints_alone_and_is_sent(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)     # the patient prefers Spanish
    plan = world.active_plan(physician, patient, team)
    signed_in(page, coordinator)
    page.goto(f"/care-plans/{plan.id}")
    page.get_by_role("link", name="Printable summary for the patient").click()
    summary = page.locator("article.plan-summary")
    summary.wait_for()
    assert summary.get_attribute("lang") == "es"
    assert summary.get_by_role("heading", name="Su plan de cuidado", exact=False).is_visible()
    assert summary.get_by_role("heading", name="Sus medicamentos").is_visible()
    assert summary.get_by_role("heading", name="A quién llamar").is_visible()
    assert "sacubitril/valsartan" in summary.inner_text()          # the template's medicine, from the service
    assert "Tráguelo entero." in summary.inner_text()              # and the template's words, in Spanish too
    assert "Swallow it whole." not in summary.inner_text()
    assert "written in Spanish" in page.locator(".summary-tools").inner_text()
    screenshot(page, "care-plan-summary")

    # Printed: only the summary, no header, buttons or messages.
    page.emulate_media(media="print")
    assert summary.is_visible()
    assert not page.locator("header.top").is_visible()
    assert not page.get_by_role("button", name="Send to patient and family").is_visible()
    assert not page.get_by_role("button", name="Print the summary").is_visible()
    screenshot(page, "care-plan-summary-print")
    page.emulate_media(media="screen")

    page.get_by_role("button", name="Send to patient and family").click()
    confirmation = page.locator(".flashes")
    confirmation.get_by_text("is sent to the patient and the family members").wait_for()
    assert f"version {plan.version}" in confirmation.inner_text()
    screenshot(page, "care-plan-summary-sent")
    # It really went: the notifications service has a message about the patient.
    eventually(lambda: list(coordinator.cb.notifications.list_patient_notifications(patient_id=str(patient.id))),
               message="the summary's message to the patient")
    assert not page.problems, page.problems


def test_a_draft_plans_summary_is_not_sent_and_the_page_says_why(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    draft = physician.cb.careplans.create_from_template(template_code="heart-failure-post-discharge",
                                                       patient_id=str(patient.id), care_team_id=str(team.id))
    signed_in(page, coordinator)
    page.goto(f"/care-plans/{draft.id}/summary")
    page.get_by_role("button", name="Send to patient and family").click()
    refusal = page.get_by_role("alert")
    refusal.wait_for()
    assert "The summary was not sent" in refusal.inner_text() and "draft" in refusal.inner_text()
    # The summary is still there to read and print, saying the plan is still being prepared.
    assert "todavía está preparando" in page.locator("article.plan-summary").inner_text()
    assert not [p for p in page.problems if "409" not in p], page.problems
