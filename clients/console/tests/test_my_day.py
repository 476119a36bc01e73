"""My day: the worklist ordered by priority and due time with overdue ones
marked, take / reassign / complete, filters; the inbox updating by itself
and acknowledging an item that arrived while the page was open."""
import time

from support import eventually, screenshot


def cast(world):
    coordinator = world.practitioner("coordinator", "Ana")
    nurse = world.practitioner("nurse", "Nia")
    physician = world.practitioner("physician", "Omar")
    patient = world.patient(coordinator)
    team = world.care_team(coordinator, patient, [coordinator, nurse, physician])
    world.known_everywhere(patient, nurse)
    return coordinator, nurse, physician, patient, team


def test_the_worklist_is_ordered_marks_overdue_and_tasks_can_be_taken_and_completed(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    world.task(coordinator, patient, owner=coordinator, code="check-in", priority="routine", due_in_hours=48,
               reason="Weekly check-in call")
    world.task(coordinator, patient, owner=coordinator, code="rebook", priority="urgent", due_in_hours=-2,
               reason="Missed cardiology visit")
    unassigned = world.task(coordinator, patient, owner=None, code="medication-review", priority="routine",
                            due_in_hours=4, reason="Review diuretic dose")
    # The team's unassigned task: a task without owner goes to the lead; hand it back to the team.
    coordinator.cb.careplans.get_task(unassigned.id)
    coordinator.cb.careplans.reassign_task(unassigned.id, owner_id=None, reason="For whoever is free")
    signed_in(page, coordinator)
    rows = page.locator("#worklist tr.task")
    eventually(lambda: rows.count() == 3, message="three tasks on the worklist")
    kinds = [rows.nth(i).locator("td").nth(1).inner_text().split("\n")[0] for i in range(3)]
    assert kinds == ["Rebook a visit", "Medication review", "Check-in"]      # urgent first, then by due time
    assert "Overdue" in rows.nth(0).inner_text() and "Overdue" not in rows.nth(1).inner_text()
    assert "Unassigned" in rows.nth(1).inner_text()
    screenshot(page, "my-day")

    rows.nth(1).get_by_role("button", name="Take").click()
    owner = page.locator("#worklist tr.task").nth(1).locator("td").nth(4)
    eventually(lambda: owner.inner_text() == "Me", message="the task taken")
    assert str(coordinator.cb.careplans.get_task(unassigned.id).owner_id) == coordinator.id

    first = page.locator("#worklist tr.task").nth(0)
    first.get_by_label("Note on completing").fill("Rebooked for Thursday")
    first.get_by_role("button", name="Complete").click()
    page.get_by_text("Task completed.").wait_for()
    assert page.locator("#worklist tr.task").count() == 2
    done = [t for t in coordinator.cb.careplans.list_tasks(patient_id=str(patient.id), status=["completed"])]
    assert len(done) == 1 and done[0].note == "Rebooked for Thursday"

    page.get_by_label("Kind").select_option("check-in")
    page.get_by_role("button", name="Filter").click()
    eventually(lambda: page.locator("#worklist tr.task").count() == 1, message="the filter")
    assert not page.problems, page.problems


def test_reassigning_a_task_names_the_new_owner_and_why(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    task = world.task(coordinator, patient, owner=coordinator, code="outreach", reason="Call the daughter")
    signed_in(page, coordinator)
    page.get_by_role("link", name="Reassign").first.click()
    page.get_by_label("New owner").select_option(label=f"{nurse.name} (nurse)")
    page.get_by_label("Why").fill("Nia knows the family")
    page.get_by_role("button", name="Reassign").click()
    page.get_by_text("Task reassigned.").wait_for()
    assert str(coordinator.cb.careplans.get_task(task.id).owner_id) == nurse.id


def test_an_inbox_item_arriving_while_the_page_is_open_shows_within_two_seconds_and_is_acknowledged(
        page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    signed_in(page, nurse)
    # A locator, not wait_for_function: polling a string predicate needs eval, which the CSP refuses
    # whenever the stream is not connected at the first check.
    page.locator("body[data-live='connected']").wait_for(state="attached")
    before = page.locator("#inbox li.item").count()
    # Something new for the nurse: a task assigned to her (careplans.task-assigned -> her inbox).
    world.task(coordinator, patient, owner=nurse, code="medication-review", priority="urgent",
               reason="Check potassium after the spironolactone start")

    def arrived():
        return [item for item in nurse.cb.notifications.list_inbox_items() if "task" in item.title.lower()]
    item = eventually(arrived, message="the notification in the nurse's inbox")[0]
    seen = time.monotonic()
    shown = page.locator(f'#inbox li[data-notification-id="{item.id}"]')
    shown.wait_for(timeout=2000)                       # without reloading the page
    print(f"inbox item on the page {time.monotonic() - seen:.2f} s after it was stored")
    assert page.locator("#inbox li.item").count() == before + 1
    assert int(page.locator("#unread-count").inner_text()) >= 1
    screenshot(page, "my-day-inbox")
    shown.get_by_role("button", name="Acknowledge").click()
    eventually(lambda: nurse.cb.notifications.get_inbox_item(item.id).acknowledged_at is not None,
               message="the acknowledgement")
    page.locator(f'#inbox li[data-notification-id="{item.id}"]').get_by_text("acknowledged").wait_for()
    assert not page.problems, page.problems
