"""Issue 25, item 14 (b): a nursing-home resident's visits booked without a
location take place at the facility they live in (the patients service's
`facility_location_id`, carried by its events as an identifier)."""
import uuid

import pytest

from carebridge.testing import assert_problem, deliver
from support import add_location, add_schedule, patient_event, register_patient

ROUND = {"code": "nursing-home-round", "display": "Nursing home round", "service_code": "99309",
         "duration_minutes": 30, "setting": "nursing-home", "billing_category": "primary-care"}
TUESDAY = "2026-03-03T{}:00:00+00:00"  # 15:00Z is 10:00 in New York, 19:00Z is 14:00


@pytest.fixture
def homes(client, auth, runtime, world):
    """A doctor doing rounds at Maple House on Tuesday mornings and at Oak
    Lodge on Tuesday afternoons; a resident of Maple House."""
    assert client.post("/appointment-types", json=ROUND, headers=auth("admin")).status_code == 201
    maple, oak = add_location(runtime, "nursing-home"), add_location(runtime, "nursing-home")
    doctor = uuid.uuid4()
    add_schedule(runtime, doctor, [
        {"weekday": 1, "start_time": "09:00", "end_time": "12:00", "location_id": maple},
        {"weekday": 1, "start_time": "13:00", "end_time": "17:00", "location_id": oak}])
    resident = register_patient(runtime, clinical_setting="nursing-home", facility_location_id=maple)
    return maple, oak, doctor, resident


def round_for(patient, doctor, hour, **extra):
    return {"patient_id": str(patient), "practitioner_id": str(doctor), "appointment_type_code": "nursing-home-round",
            "start": TUESDAY.format(hour), **extra}


def test_a_residents_visit_without_a_location_is_at_their_facility(client, auth, homes):
    maple, oak, doctor, resident = homes
    coordinator = auth("coordinator")
    morning = client.post("/appointments", json=round_for(resident, doctor, 15), headers=coordinator)
    assert morning.status_code == 201 and morning.get_json()["location_id"] == str(maple)
    # In the afternoon the doctor is at another home: not the resident's, so no visit.
    afternoon = client.post("/appointments", json=round_for(resident, doctor, 19), headers=coordinator)
    assert assert_problem(afternoon, 422)["reason"] == "outside-availability"
    # Naming a location deliberately still books there.
    elsewhere = client.post("/appointments", json=round_for(resident, doctor, 19, location_id=str(oak)),
                            headers=coordinator)
    assert elsewhere.status_code == 201 and elsewhere.get_json()["location_id"] == str(oak)


def test_other_patients_go_wherever_the_practitioner_is(client, auth, runtime, homes):
    maple, oak, doctor, _resident = homes
    visitor = register_patient(runtime, clinical_setting="outpatient-clinic", facility_location_id=maple)
    afternoon = client.post("/appointments", json=round_for(visitor, doctor, 19), headers=auth("coordinator"))
    assert afternoon.status_code == 201 and afternoon.get_json()["location_id"] == str(oak)


def test_a_resident_who_moves_follows_the_patients_service(client, auth, runtime, homes):
    maple, oak, doctor, resident = homes
    moved = patient_event("patients.patient-updated", resident, revision=2, clinical_setting="nursing-home",
                          facility_location_id=oak, changed_fields=["facility_location_id"])
    assert deliver(runtime, moved) == "applied"
    afternoon = client.post("/appointments", json=round_for(resident, doctor, 19), headers=auth("coordinator"))
    assert afternoon.status_code == 201 and afternoon.get_json()["location_id"] == str(oak)
