"""An event's ids that point at other records are taken only when they are
the event's patient's: a care team of another patient does not become the
audience, and a prescriber id (which came from a client) is told only while
on the patient's care team."""
import uuid
from datetime import timedelta

from carebridge import clock
from carebridge.testing import care_team_event, care_team_member
from support import practitioner_changed, told

P = "practitioner"


def another_patients_team(world):
    team, stranger_nurse = uuid.uuid4(), uuid.uuid4()
    world.deliver(practitioner_changed(stranger_nurse, "nurse", email="elsewhere@example.org"),
                  care_team_event(uuid.uuid4(), [care_team_member(stranger_nurse, "nurse",
                                                                  since=clock.now() - timedelta(days=3))],
                                  care_team_id=team, lead_coordinator_id=stranger_nurse))
    return team, stranger_nurse


def test_an_event_naming_another_patients_care_team_reaches_only_its_own_patients_team(runtime, world):
    team, stranger_nurse = another_patients_team(world)
    news = world.plan_updated(care_team_id=team)
    world.deliver(news)
    heard = {recipient for kind, recipient in told(runtime, news.id) if kind == P}
    assert stranger_nurse not in heard
    assert {world.nurse, world.physician} <= heard


def test_a_prescriber_off_the_care_team_is_not_told(runtime, world):
    alert = world.medication_alert(prescriber_id=world.stranger)
    world.deliver(alert)
    heard = told(runtime, alert.id)
    assert (P, world.stranger) not in heard
    assert (P, world.nurse) in heard  # the team's nurses still are
    on_team = world.medication_alert()
    world.deliver(on_team)
    assert (P, world.physician) in told(runtime, on_team.id)
