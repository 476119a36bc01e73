"""A message its consumer cannot apply: a defect deployed to the care plans
database (a trigger refusing outreach tasks, as a bad migration might) fails
the `appointment-missed` of a real missed visit. The message is retried with
growing delays a bounded number of times and then dead-lettered, while the
messages behind it are applied; the other consumers of the same event are
not affected. Once the defect is fixed, `carebridge dead-letters replay
careplans` brings it back and it is applied, once.

(A misconfigured worker cannot serve as the fault: settings are read when
the worker starts, and it refuses to start with one it cannot read.)
"""
import json
from datetime import timedelta

from sqlalchemy import create_engine

from carebridge.db import normalize_url

from support.api import ok
from support.observe import applied, notifications, outbox
from support.stack import eventually
from support.world import idempotency, slot_start

VISIT = "cardiology-follow-up"
MISSED = "scheduling.appointment-missed"
RETRIES = 3  # RETRY_DELAYS of the stack: 0.2,0.5,1


def dead_letters(stack) -> list[dict]:
    listed = stack.command("careplans", "dead-letters", "list", "careplans")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


REFUSE_OUTREACH = """
CREATE FUNCTION refuse_outreach() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'outreach tasks are refused by a defective deployment'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER refuse_outreach BEFORE INSERT ON tasks FOR EACH ROW WHEN (NEW.code = 'outreach')
EXECUTE FUNCTION refuse_outreach();
"""
FIX_OUTREACH = "DROP TRIGGER refuse_outreach ON tasks; DROP FUNCTION refuse_outreach();"


def run_sql(stack, service: str, sql: str) -> None:
    """As the database's owner: a deployment's migration made the defect."""
    engine = create_engine(normalize_url(stack.owner_database_url(service)))
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(sql)
    finally:
        engine.dispose()


def test_poison_message_is_dead_lettered_after_retries_and_replayed_after_the_fix(stack, world):
    lead = world.practitioner("coordinator", name="lead")
    nurse = world.practitioner("nurse")
    cardiologist = world.practitioner("specialist", specialty="cardiology", name="cardiologist")
    newcomer = world.practitioner("nurse", name="newnurse")
    patient = world.patient(lead)
    team = world.care_team(lead, patient, [lead, nurse, cardiologist])
    world.wait_until_known(patient, [lead, nurse, cardiologist], clinician=nurse)
    world.open_all_week(lead, cardiologist, [VISIT])
    start = slot_start(stack.now() + timedelta(hours=1))
    appointment = world.book(lead, patient, cardiologist, VISIT, start)
    careplans_tasks = lead.client("careplans")
    assert dead_letters(stack) == []

    run_sql(stack, "careplans", REFUSE_OUTREACH)
    try:
        stack.advance_to(start + timedelta(minutes=16))
        missed = eventually(lambda: [e for e in outbox(stack, "scheduling", MISSED, appointment_id=appointment["id"])
                                     if e["published"]], message="the missed visit to be announced")
        [event] = missed

        # A message behind it: the newcomer joins the team.
        members = lead.client("patients")
        ok(members.post(f"/care-teams/{team['id']}/members", headers=idempotency(),
                        json={"practitioner_id": newcomer.id, "role": "nurse"}), 201)
        newcomer_plans = newcomer.client("careplans")
        eventually(lambda: newcomer_plans.get("/tasks", params={"patient_id": patient.id}).status_code == 200,
                   message="care plans to apply the care-team change behind the poison message")

        letters = eventually(lambda: dead_letters(stack), timeout=30, message="the poison message dead-lettered")
        assert [(letter["event_id"], letter["event_type"]) for letter in letters] == [(event["id"], MISSED)]
        assert letters[0]["attempts"] == RETRIES + 1
        # The class and the SQLSTATE (P0001: the trigger's RAISE EXCEPTION), never the text.
        assert (letters[0]["error"], letters[0]["error_code"]) == ("ProgrammingError", "sqlstate-P0001"), letters[0]
        assert "defective" not in json.dumps(letters[0])
        assert applied(stack, "careplans", [event["id"]])[event["id"]] == 0
        assert ok(careplans_tasks.get("/tasks", params={"patient_id": patient.id, "code": "outreach"}))["items"] == []
        # The same event reached its other consumers as usual.
        assert applied(stack, "notifications", [event["id"]])[event["id"]] == 1
        assert notifications(stack, patient.id, event_type=MISSED)
    finally:
        run_sql(stack, "careplans", FIX_OUTREACH)

    replayed = stack.command("careplans", "dead-letters", "replay", "careplans")
    assert replayed.returncode == 0, replayed.stderr
    assert [letter["event_id"] for letter in json.loads(replayed.stdout)["replayed"]] == [event["id"]]

    outreach = eventually(lambda: ok(careplans_tasks.get("/tasks", params={
        "patient_id": patient.id, "code": "outreach"}))["items"], message="the outreach task after the replay")
    assert [(t["owner_id"], t["priority"], t["focus_id"]) for t in outreach] == [(lead.id, "urgent", appointment["id"])]
    assert applied(stack, "careplans", [event["id"]])[event["id"]] == 1
    assert dead_letters(stack) == []
