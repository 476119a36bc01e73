"""The client against the real services (the embedded stack): typed results,
paging, ETags carried from the last read, a stale write raised as Conflict
with the current version, problem+json raised as typed exceptions, and the
request id of every call on its result or exception."""
from __future__ import annotations

import time
import uuid
from datetime import date, datetime

import pytest

from carebridge_client import (CareBridge, Conflict, DevelopmentToken, Forbidden, MedicationSafetyRefusal,
                               NotFound, Paged, ValidationFailed)
from carebridge_client._generated.careplans import Plan
from carebridge_client._generated.patients import Patient, Practitioner

POTASSIUM_CHLORIDE = "8591"
SPIRONOLACTONE = "9997"


@pytest.fixture(scope="module")
def admin(base_urls):
    return CareBridge(base_urls, DevelopmentToken("admin"))


@pytest.fixture
def tag():
    return uuid.uuid4().hex[:8]


def staff(admin, role: str, tag: str) -> Practitioner:
    return admin.patients.add_practitioner(given_name=role.title(), family_name=f"Núñez{tag}", role=role,
                                           time_zone="America/New_York",
                                           contact_points=[{"system": "email", "value": f"{role}-{tag}@staff.example"}])


def register(cb: CareBridge, tag: str, n: int = 0) -> Patient:
    return cb.patients.register(mrn=f"MRN-{tag}-{n}", given_name="Zoë", family_name=f"Ångström{tag}",
                                birth_date=date(1950, 1, 2), administrative_sex="female", time_zone="Europe/Oslo",
                                contact_points=[{"system": "email", "value": f"zoe{n}-{tag}@patients.example"}])


@pytest.fixture
def coordinator(admin, base_urls, tag):
    person = staff(admin, "coordinator", tag)
    return person, CareBridge(base_urls, DevelopmentToken("coordinator", subject=person.id))


def test_results_are_typed_and_carry_their_request_id_and_version(coordinator, tag):
    _, cb = coordinator
    patient = register(cb, tag)
    assert isinstance(patient, Patient)
    assert patient.birth_date == date(1950, 1, 2) and isinstance(patient.created_at, datetime)
    assert patient.given_name == "Zoë" and patient.communication.preferred_channel
    assert patient.etag == '"1"' and uuid.UUID(patient.request_id)
    again = cb.patients.get(patient.id, x_request_id=f"walkthrough-{tag}")
    assert again == patient and again.request_id == f"walkthrough-{tag}"


def test_lists_are_iterated_page_after_page(coordinator, tag):
    _, cb = coordinator
    made = {register(cb, tag, n).id for n in range(5)}
    found = cb.patients.search(q=f"Ångström{tag}", page_size=2)
    assert isinstance(found, Paged)
    seen = [p.id for p in found]
    assert set(seen) == made and len(seen) == 5
    assert found.total == 5 and len(found.request_ids) == 3


def test_a_change_carries_the_etag_of_the_last_read_and_a_stale_one_is_a_conflict_with_the_current(
        admin, coordinator, base_urls, tag):
    _, cb = coordinator
    patient = register(cb, tag)
    other = CareBridge(base_urls, DevelopmentToken("admin"))
    other.patients.get(patient.id)
    cb.patients.update(patient, preferred_name="Zo")          # If-Match from the read of register()
    with pytest.raises(Conflict) as stale:
        other.patients.update(patient.id, preferred_name="Z")  # its last read is version 1
    assert stale.value.status == 412
    assert isinstance(stale.value.current, Patient)
    assert stale.value.current.preferred_name == "Zo" and stale.value.current.version == 2
    # Having seen the current version, the same client now may change it.
    changed = other.patients.update(patient.id, preferred_name="Z")
    assert changed.version == 3 and changed.preferred_name == "Z"


def test_problems_are_typed_exceptions_with_request_ids(admin, coordinator, base_urls, tag):
    _, cb = coordinator
    with pytest.raises(ValidationFailed) as invalid:
        cb.patients.register(mrn="no spaces allowed", given_name="", family_name="X", birth_date="1950-13-01",
                             administrative_sex="female", time_zone="Europe/Oslo")
    assert {"mrn", "given_name", "birth_date"} <= set(invalid.value.errors)
    assert invalid.value.status == 422 and uuid.UUID(invalid.value.request_id)
    with pytest.raises(NotFound):
        cb.patients.get(str(uuid.uuid4()))
    patient = register(cb, tag)
    nurse = staff(admin, "nurse", tag)
    outsider = CareBridge(base_urls, DevelopmentToken("nurse", subject=nurse.id))
    with pytest.raises(Forbidden) as refused:
        outsider.patients.get(patient.id)
    assert refused.value.status == 403 and refused.value.request_id


def once_careplans_knows_the_team(call, timeout: float = 30.0):
    """Care plans hears of a new care team through an event, a moment after
    the patients service made it; until then it refuses the team (422)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return call()
        except ValidationFailed as error:
            if "not known" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_a_medication_safety_refusal_names_its_findings(admin, coordinator, base_urls, tag):
    person, cb = coordinator
    physician = staff(admin, "physician", tag)
    patient = register(cb, tag)
    team = cb.patients.create_care_team(patient_id=patient.id, name=f"Team {tag}", status="active",
                                        lead_coordinator_id=person.id,
                                        members=[{"practitioner_id": person.id, "role": "coordinator"},
                                                 {"practitioner_id": physician.id, "role": "physician"}])
    plan = once_careplans_knows_the_team(lambda: cb.careplans.create_from_template(
        template_code="heart-failure-post-discharge", patient_id=patient.id, care_team_id=team.id))
    assert isinstance(plan, Plan)
    spironolactone = next(a for a in plan.activities
                          if a.kind == "medication" and a.medication.rxnorm_code == SPIRONOLACTONE)
    potassium = {"kind": "medication", "medication": {
        "name": "potassium chloride", "rxnorm_code": POTASSIUM_CHLORIDE, "dose": "20 mEq", "route": "oral",
        "frequency": "once-daily", "purpose": "keeps your potassium up", "prescriber_id": physician.id}}
    with pytest.raises(MedicationSafetyRefusal) as refusal:
        cb.careplans.revise(plan, activities=[potassium], reason="potassium 3.1 mmol/L")
    blocking = [f for f in refusal.value.findings if f["blocking"]]
    assert [(f["kind"], f["interacting_activity_id"]) for f in blocking] == [("drug-interaction", spironolactone.id)]
    assert refusal.value.status == 409 and isinstance(refusal.value, Conflict)
    assert cb.careplans.get(plan.id).version == 1
