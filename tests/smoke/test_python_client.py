"""The Python client against the real stack: every service says it runs in
test mode (so no development token is signed), and a coordinator's day
through the typed namespaces: register a patient, form the care team, a
plan from a template, the follow-up it asks for on the to-book list, booked
on a searched slot, and the stale write raised with the current version."""
import uuid
from datetime import timedelta

import pytest

from carebridge_client import CareBridge, Conflict, DevelopmentToken, NotDevelopment
from support.stack import SERVICES, eventually


def test_every_service_says_it_runs_in_test_mode_and_signs_no_token(stack):
    cb = stack.carebridge("admin")
    for service in SERVICES:
        about = getattr(cb, service).discover_stack()
        assert about.service == service and about.environment == "test"
        assert about.tokens.development_token_url is None
    with pytest.raises(NotDevelopment):
        CareBridge({name: stack.url(name) for name in SERVICES}, DevelopmentToken("admin")).patients.search().first()


def test_a_coordinators_day_through_the_typed_client(stack, world):
    coordinator = world.practitioner("coordinator")
    cardiologist = world.practitioner("specialist", specialty="cardiology", name="cardiologist")
    cb = stack.carebridge("coordinator", coordinator.id)
    patient = cb.patients.register(mrn=f"MRN-{world.tag}", given_name="Søren", family_name=f"Kierkegård{world.tag}",
                                   birth_date="1952-05-05", administrative_sex="male", time_zone="Europe/Copenhagen",
                                   contact_points=[{"system": "email", "value": f"s-{world.tag}@patients.example"}])
    assert [p.id for p in cb.patients.search(q=f"Kierkegård{world.tag}")] == [patient.id]
    team = cb.patients.create_care_team(patient_id=patient.id, name=f"Team {world.tag}", status="active",
                                        lead_coordinator_id=coordinator.id,
                                        members=[{"practitioner_id": coordinator.id, "role": "coordinator"},
                                                 {"practitioner_id": cardiologist.id, "role": "specialist"}])
    plan = eventually(lambda: _plan(cb, patient, team), message="careplans to know the care team")
    cb.careplans.change_status(plan, status="active", reason="discussed with the patient")
    request = eventually(lambda: next(iter(cb.scheduling.list_booking_requests(patient_id=patient.id,
                                                                              status="open")), None),
                         message="the follow-up on the to-book list")
    world.open_all_week(coordinator, cardiologist, [request.appointment_type_code])
    soon = stack.now() + timedelta(hours=1)
    slots = cb.scheduling.search_slots(practitioner_id=cardiologist.id,
                                       appointment_type_code=request.appointment_type_code,
                                       start_date=max(request.window_start, soon.date()), end_date=request.window_end)
    first = next(slot for slot in slots if slot.start >= soon)
    booked = cb.scheduling.book_appointment(patient_id=patient.id, practitioner_id=cardiologist.id,
                                            appointment_type_code=request.appointment_type_code,
                                            start=first.start, care_plan_id=request.care_plan_id,
                                            plan_activity_id=request.plan_activity_id)
    assert booked.status == "booked" and booked.request_id

    other = stack.carebridge("admin")
    other.patients.get(patient.id)
    cb.patients.update(patient, preferred_name="Søs")
    with pytest.raises(Conflict) as stale:
        other.patients.update(patient.id, preferred_name="S")
    assert stale.value.current.preferred_name == "Søs" and uuid.UUID(stale.value.request_id)


def _plan(cb, patient, team):
    try:
        return cb.careplans.create_from_template(template_code="heart-failure-post-discharge", patient_id=patient.id,
                                                 care_team_id=team.id)
    except Exception:
        return None
