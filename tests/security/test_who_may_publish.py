"""Who may publish which event (issue 22, item 2).

Care-team access in careplans, scheduling, billing and notifications is
built from `patients.care-team-changed`, so an event forged in the patients
service's name would let anyone who can publish grant themselves any
patient, and a forged high revision would make later real changes look
stale. On the real broker, each service's worker has its own user:

- another service's user cannot publish a `patients.*` routing key at all,
  and the patients user cannot claim to be someone else (the broker refuses
  both);
- an event published by a user the broker lets write that routing key but
  which is not the patients service's (an administrator here, and a message
  with no user at all) reaches the consumers, which refuse it: dead-lettered
  (kept for inspection, naming the user), counted, logged; no access granted,
  and real care-team changes go on being applied.
"""
import json
import uuid

import amqp.exceptions
import pytest
from kombu import Producer

from carebridge.bus import Publisher, open_connection
from carebridge.bus.publisher import login_of
from carebridge.testing import care_team_event, care_team_member
from support.api import ok
from support.observe import applied
from support.stack import eventually
from support.world import idempotency

CARE_TEAM_CHANGED = "patients.care-team-changed"
# Where a nurse off the patient's team is refused, one list per service.
PATIENT_LISTS = {"careplans": "/care-plans", "scheduling": "/appointments", "billing": "/estimates",
                 "notifications": "/notifications"}


def dead_letters(stack, service: str) -> list[dict]:
    listed = stack.command(service, "dead-letters", "list", service)
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def refused(stack, service: str) -> float:
    return stack.worker_counter(service, "carebridge_events_refused_total", event_type=CARE_TEAM_CHANGED)


def sees(stack, nurse, patient, service: str) -> int:
    return nurse.client(service).get(PATIENT_LISTS[service], params={"patient_id": patient.id}).status_code


def forged_membership(patient, team: dict, intruder) -> object:
    """The patient's real team with the intruder added, at a revision far
    ahead of the real one."""
    members = [care_team_member(uuid.UUID(m["practitioner_id"]), m["role"],
                                membership_id=uuid.UUID(m["id"])) for m in team["members"]]
    members.append(care_team_member(uuid.UUID(intruder.id), "nurse"))
    return care_team_event(uuid.UUID(patient.id), members, care_team_id=uuid.UUID(team["id"]), revision=999_999,
                           lead_coordinator_id=uuid.UUID(team["lead_coordinator_id"]))


def publish_as_administrator(stack, event, user_id: str | None) -> None:
    """To the shared exchange with the administrator's login (who may write
    any routing key), stamping `user_id` (or none)."""
    with open_connection(stack.amqp_url) as connection:
        properties = {"user_id": user_id} if user_id else {}
        Producer(connection.channel()).publish(
            event.to_json(), exchange=stack.runtime("patients").topology.exchange, routing_key=event.type,
            content_type="application/json", content_encoding="utf-8", message_id=str(event.id), type=event.type,
            delivery_mode=2, **properties)


def remove_from_dead_letters(stack, service: str, event_id: str) -> None:
    """Inspected: take the test's forgery out, put anything else back."""
    with open_connection(stack.amqp_url) as connection:
        dead = stack.runtime(service).queues.dead(connection.channel())
        others = []
        while (message := dead.get(no_ack=False)) is not None:
            if message.properties.get("message_id") == event_id:
                message.ack()
            else:
                others.append(message)
        for message in others:
            message.requeue()


def test_the_broker_refuses_patients_events_from_another_services_user(stack, world):
    if not stack.users.per_service:
        pytest.skip("this run has one broker user for every service (see the warning at its start): "
                    "only the consumers' check can be shown")
    coordinator = world.practitioner("coordinator")
    intruder = world.practitioner("nurse", name="intruder")
    patient = world.patient(coordinator)
    team = world.care_team(coordinator, patient, [coordinator])
    event = forged_membership(patient, team, intruder)
    with stack.publisher("scheduling") as publisher, pytest.raises(amqp.exceptions.AccessRefused) as refused_by:
        publisher.publish_event(body=event.to_json(), event_id=str(event.id), event_type=event.type)
    assert "patients.care-team-changed" in str(refused_by.value)
    # The patients service's user may write the routing key, but only as itself.
    patients_url = stack.broker_url("patients")
    with Publisher(patients_url, stack.runtime("patients").topology, user_id=stack.users.template.format(
            service="scheduling")) as publisher, pytest.raises(amqp.exceptions.PreconditionFailed):
        publisher.publish_event(body=event.to_json(), event_id=str(event.id), event_type=event.type)
    # A service's API may not publish at all.
    with Publisher(stack.broker_url("careplans", "api"), stack.runtime("patients").topology) as publisher, \
            pytest.raises(amqp.exceptions.AccessRefused):
        publisher.publish_event(body=event.to_json(), event_id=str(event.id), event_type=event.type)


@pytest.mark.parametrize("user_id", ["the administrator's", "none"])
def test_a_forged_care_team_change_is_refused_by_every_consumer_and_grants_nothing(stack, world, user_id):
    coordinator = world.practitioner("coordinator")
    colleague = world.practitioner("nurse", name="colleague")
    intruder = world.practitioner("nurse", name="intruder")
    patient = world.patient(coordinator)
    team = world.care_team(coordinator, patient, [coordinator, colleague])
    world.wait_until_known(patient, [coordinator, colleague], clinician=colleague)
    for service in PATIENT_LISTS:
        assert sees(stack, intruder, patient, service) == 403, service
    before = {service: refused(stack, service) for service in PATIENT_LISTS}

    # Published by a user the broker lets write the routing key (an
    # administrator), with its own name or none as user_id: not the
    # patients service's.
    event = forged_membership(patient, team, intruder)
    admin_user = login_of(stack.amqp_url)
    publish_as_administrator(stack, event, admin_user if user_id != "none" else None)

    try:
        for service in PATIENT_LISTS:
            letters = eventually(lambda: [letter for letter in dead_letters(stack, service)
                                          if letter["event_id"] == str(event.id)],
                                 message=f"{service} to dead-letter the forgery")
            assert letters[0]["event_type"] == CARE_TEAM_CHANGED and "RefusedPublisher" in letters[0]["error"]
            assert letters[0]["published_by"] == (admin_user if user_id != "none" else None), letters[0]
            # (At least once: a dead-letter copy the broker was slow to confirm
            # is made again, and counted again.)
            assert refused(stack, service) >= before[service] + 1, service
            assert applied(stack, service, [event.id])[str(event.id)] == 0, service
            assert sees(stack, intruder, patient, service) == 403, f"{service} let the intruder in"
            log = (stack.real.log_dir / f"{service}-worker.log").read_text()
            # One line per refusal; a redelivered forgery is refused (and logged) again.
            lines = [json.loads(entry) for entry in log.splitlines()
                     if str(event.id) in entry and "refused" in entry]
            assert lines, f"{service} did not log the refusal"
            for line in lines:
                assert (line["event_type"], line["level"]) == (CARE_TEAM_CHANGED, "WARNING")
                # The log line names the event and the user, nothing about the patient.
                assert patient.id not in json.dumps(line) and intruder.id not in json.dumps(line)

        # The real care team goes on changing: its next revision (far below
        # the forged one) is applied everywhere.
        ok(coordinator.client("patients").post(f"/care-teams/{team['id']}/members", headers=idempotency(),
                                               json={"practitioner_id": intruder.id, "role": "nurse"}), 201)
        for service in PATIENT_LISTS:
            eventually(lambda: sees(stack, intruder, patient, service) == 200,
                       message=f"{service} to apply the real change after the forgery")
    finally:
        for service in PATIENT_LISTS:
            remove_from_dead_letters(stack, service, str(event.id))
