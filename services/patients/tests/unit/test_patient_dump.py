"""The patient as the API answers it: the kit's `dump` gives what
marshmallow's `PatientSchema().dump` gives, field for field and byte for byte."""
import datetime as dt
import json
import uuid

import pytest

from carebridge.web import dump
from carebridge_patients.api.schemas.patients import PatientSchema
from carebridge_patients.persistence.models import Patient

NOW = dt.datetime(2026, 12, 7, 11, 50, 1, 250000, tzinfo=dt.timezone.utc)

FULL = dict(
    id=uuid.uuid4(), mrn="MRN-004217", given_name="Ada", middle_name="King", family_name="Lovelace",
    preferred_name="Ada", search_name="ada king lovelace", birth_date=dt.date(1815, 12, 10), administrative_sex="female",
    gender_identity="female",
    contact_points=[{"system": "phone", "value": "+15551234567", "use": "home"},
                    {"system": "email", "value": "ada@example.org", "use": None}],
    address={"use": "home", "lines": ["1 Main St", "Flat 2"], "city": "Springfield", "state": "IL",
             "postal_code": "62701", "country": "US"},
    preferred_language="en-GB", time_zone="Europe/London",
    communication={"preferred_channel": "sms", "quiet_hours_start": "21:00", "quiet_hours_end": "08:00",
                   "sms_consent": True},
    clinical_setting="nursing-home", facility_location_id=uuid.uuid4(), status="deceased",
    deceased_at=NOW, created_at=NOW - dt.timedelta(days=3), updated_at=NOW, version=7)

SPARSE = dict(FULL, middle_name=None, preferred_name=None, gender_identity=None, contact_points=[], address=None,
              communication={"preferred_channel": "email"}, clinical_setting=None, facility_location_id=None,
              status="active", deceased_at=None, version=1)


@pytest.mark.parametrize("values", [FULL, SPARSE], ids=["full", "sparse"])
def test_the_patient_dumps_as_marshmallow_dumps_it(values):
    schema = PatientSchema()
    patient = Patient(**values)
    expected = schema.dump(patient)
    got = dump(schema, patient)
    assert list(got) == list(expected)
    assert got == expected
    assert json.dumps(got) == json.dumps(expected)
