"""What the patients service's tests share: request bodies, the audit
records of a test, and `Staff`, which builds the state a test needs through
the API itself."""
import uuid

from carebridge.testing import audit_trail


def patient_payload(**overrides) -> dict:
    body = {
        "mrn": f"MRN-{uuid.uuid4().hex[:8]}",
        "given_name": "José",
        "middle_name": "Ángel",
        "family_name": "Muñoz-García",
        "birth_date": "1951-07-14",
        "administrative_sex": "male",
        "contact_points": [{"system": "phone", "value": "+1 312 555 0142", "use": "home"},
                           {"system": "sms", "value": "+13125550199", "use": "mobile"},
                           {"system": "email", "value": "jose@example.org"}],
        "address": {"lines": ["1200 W Harrison St", "Apt 4"], "city": "Chicago", "state": "IL",
                    "postal_code": "60607", "country": "US", "use": "home"},
        "preferred_language": "es-MX",
        "time_zone": "America/Chicago",
        "communication": {"preferred_channel": "sms", "quiet_hours_start": "21:00", "quiet_hours_end": "08:00",
                          "sms_consent": True},
        "clinical_setting": "outpatient-clinic",
    }
    body.update(overrides)
    return body


def practitioner_payload(role: str = "nurse", **overrides) -> dict:
    body = {"given_name": "Alex", "family_name": f"Rivera {role}", "role": role,
            "contact_points": [{"system": "email", "value": f"{role}@clinic.example.org", "use": "work"}],
            "time_zone": "America/Chicago"}
    if role == "specialist":
        body["specialty"] = "cardiology"
    body.update(overrides)
    return body


class Staff:
    """The requests staff apps make, for building the state a test needs."""

    def __init__(self, client, auth):
        self.client = client
        self.auth = auth
        self.coordinator = auth("coordinator")

    def created(self, response) -> dict:
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    def practitioner(self, role: str = "nurse", **overrides) -> dict:
        return self.created(self.client.post("/practitioners", json=practitioner_payload(role, **overrides),
                                             headers=self.coordinator))

    def patient(self, **overrides) -> dict:
        return self.created(self.client.post("/patients", json=patient_payload(**overrides), headers=self.coordinator))

    def team(self, patient_id, members=(), **overrides) -> dict:
        body = {"patient_id": patient_id, "name": "Primary care", "category": "primary-care", **overrides,
                "members": [m if isinstance(m, dict) else {"practitioner_id": m} for m in members]}
        return self.created(self.client.post("/care-teams", json=body, headers=self.coordinator))

    def related_person(self, patient_id, **overrides) -> dict:
        body = {"given_name": "María", "family_name": "Muñoz", "relationship": "daughter",
                "contact_points": [{"system": "email", "value": "maria@example.org"}],
                "communication": {"preferred_channel": "email"}, **overrides}
        return self.created(self.client.post(f"/patients/{patient_id}/related-persons", json=body,
                                             headers=self.coordinator))

    def allergy(self, patient_id, **overrides) -> dict:
        body = {"substance_system": "rxnorm", "substance_code": "7980", "substance_name": "Penicillin G",
                "criticality": "high", "severity": "severe", "reaction": "Hives", **overrides}
        return self.created(self.client.post(f"/patients/{patient_id}/allergies", json=body,
                                             headers=self.coordinator))

    def headers_of(self, practitioner: dict) -> dict:
        """A token of the practitioner's role naming them as its subject."""
        role = practitioner["role"] if practitioner["role"] in ("nurse", "physician", "specialist", "billing",
                                                                 "coordinator") else "nurse"
        return self.auth(role, sub=practitioner["id"])

    def with_etag(self, headers: dict, response) -> dict:
        return {**headers, "If-Match": response.headers["ETag"]}


def audit_of(runtime, **match) -> list[dict]:
    """The audit records whose columns have the given values."""
    return [row for row in audit_trail(runtime) if all(row[k] == v for k, v in match.items())]
