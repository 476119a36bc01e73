"""How a staff app tests itself against CareBridge: the kit's pytest plugin
starts the stack and hands over a ready client per role.

    pytest -p carebridge.stack examples/                                 # the real stack
    pytest -p carebridge.stack --carebridge-stack=embedded examples/     # one process, SQLite

(Here the suite's conftest.py loads the plugin.) The app under test is a
tiny "morning huddle" report: the overdue outreach tasks of a coordinator's
patients, which turns overdue when the clock moves past their due time."""
from datetime import timedelta

import pytest

from carebridge_client import CareBridge, ValidationFailed

pytest.importorskip("carebridge.stack", reason="the kit (and its stack plugin) is not installed here")
from carebridge.testing import wait_for  # noqa: E402


def morning_huddle(cb: CareBridge, coordinator_id: str) -> list[str]:
    """The staff app's own code: "who do I call first?" (overdue outreach, urgent first)."""
    overdue = cb.careplans.list_tasks(owner_id=coordinator_id, overdue=True, code=["outreach"])
    ranked = sorted(overdue, key=lambda task: (task.priority != "urgent", task.due_at))
    return [task.patient_id for task in ranked]


def assign(cb, patient_id, owner_id, priority, due) -> bool:
    try:
        cb.careplans.create_task(patient_id=patient_id, code="outreach", reason="Missed the follow-up",
                                 priority=priority, owner_id=owner_id, due_at=due)
        return True
    except ValidationFailed:
        return False


def test_the_huddle_lists_overdue_outreach_urgent_first(carebridge_stack):
    admin = carebridge_stack.admin
    coordinator = admin.patients.add_practitioner(given_name="Inès", family_name="Moreau", role="coordinator",
                                                  time_zone="Europe/Paris")
    cb = carebridge_stack.client("coordinator", subject=coordinator.id)
    patients = [cb.patients.register(mrn=f"HUDDLE-{coordinator.id[:8]}-{n}", given_name=name, family_name="Øster",
                                     birth_date="1950-03-0%d" % (n + 1), administrative_sex="female",
                                     time_zone="Europe/Paris") for n, name in enumerate(("Åsa", "Brontë", "Cécile"))]
    due = carebridge_stack.now() + timedelta(hours=4)
    for patient, priority in zip(patients, ("routine", "urgent", "routine")):
        cb.patients.create_care_team(patient_id=patient.id, name="Home care", status="active",
                                     lead_coordinator_id=coordinator.id,
                                     members=[{"practitioner_id": coordinator.id, "role": "coordinator"}])
        # careplans hears of the team through an event: wait until it knows.
        wait_for(lambda: assign(cb, patient.id, coordinator.id, priority, due), timeout=30,
                 message="careplans to know the care team")

    assert morning_huddle(cb, coordinator.id) == []       # nothing is overdue yet
    carebridge_stack.advance(hours=5)
    assert morning_huddle(cb, coordinator.id) == [patients[1].id, patients[0].id, patients[2].id]
