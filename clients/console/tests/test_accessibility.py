"""axe-core (vendored from its npm package, tests/vendor/) on every page:
no serious or critical violation anywhere."""
import datetime as dt
from pathlib import Path

import pytest

from support import eventually
from test_my_day import cast

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.11.0.min.js").read_text()


def violations(page) -> list[dict]:
    page.add_script_tag(content=AXE)
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [n["target"] for n in v["nodes"]][:3]}
            for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture
def axe_page(browser, stack):
    # axe is injected as a script of the test's own: the page's policy (no
    # inline script) is set aside for this context only.
    context = browser.new_context(base_url=stack.url, viewport={"width": 1360, "height": 900}, bypass_csp=True)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def test_no_serious_or_critical_violation_on_any_page(axe_page, world, signed_in):
    page = axe_page
    coordinator, nurse, physician, patient, team = cast(world)
    world.open_all_week(coordinator, physician, ["cardiology-follow-up", "telehealth-check-in"])
    plan = world.active_plan(physician, patient, team)
    task = world.task(coordinator, patient, owner=coordinator, code="rebook", priority="urgent", due_in_hours=-1)
    requests_ = eventually(lambda: list(coordinator.cb.scheduling.list_booking_requests(patient_id=str(patient.id))),
                           message="the to-book list")
    slot = next(iter(coordinator.cb.scheduling.search_slots(
        appointment_type_code="cardiology-follow-up", start_date=str(dt.date.today() + dt.timedelta(days=1)),
        end_date=str(dt.date.today() + dt.timedelta(days=3)), time_zone="America/Chicago",
        practitioner_id=physician.id)))
    visit = coordinator.cb.scheduling.book_appointment(patient_id=str(patient.id), practitioner_id=physician.id,
                                                       appointment_type_code="cardiology-follow-up", start=slot.start)
    page.goto("/sign-in")
    found = {"sign-in": violations(page)}
    signed_in(page, coordinator)
    pages = {
        "my day": "/",
        "find a patient": f"/patients?q={patient.family_name[:6]}",
        "register a patient": "/patients/new",
        "patient page": f"/patients/{patient.id}",
        "care plan": f"/care-plans/{plan.id}",
        "care plan history": f"/care-plans/{plan.id}/history",
        "care plan summary": f"/care-plans/{plan.id}/summary",
        "start a care plan": f"/care-plans/start/{patient.id}",
        "to book": "/scheduling",
        "book a visit": f"/scheduling/book/{patient.id}?request_id={requests_[0].id}",
        "reschedule a visit": f"/scheduling/reschedule/{visit.id}",
        "reassign a task": f"/tasks/{task.id}/reassign",
        "cost estimate": f"/costs?patient_id={patient.id}",
        "not found": "/no-such-page",
    }
    for name, path in pages.items():
        page.goto(path)
        page.locator("main").wait_for()
        found[name] = violations(page)
    # A page showing a refusal: the medication-safety one.
    page.goto(f"/care-plans/{plan.id}")
    page.get_by_label("Medication", exact=True).fill("lisinopril")
    page.get_by_label("RxNorm code").fill("29046")
    page.get_by_label("Dose").fill("10 mg")
    page.get_by_role("button", name="Add medication").click()
    page.locator("#refusal").wait_for()
    found["care plan refusal"] = violations(page)
    assert not {name: v for name, v in found.items() if v}, found


def test_the_check_finds_what_it_is_for(axe_page, stack):
    """The same check on a page that breaks the rules: it must fail there."""
    axe_page.goto("/sign-in")
    axe_page.evaluate("""() => { const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type="text"><img src="/static/favicon.svg">'); }""")
    assert {v["id"] for v in violations(axe_page)} >= {"label", "image-alt"}
