"""/fhir/R4: a patient's notifications as FHIR R4 Communications, each
validated against the FHIR R4B models (`fhir.resources`)."""
import uuid

import pytest

from carebridge.testing.fhir import (assert_outcome, bundle_resources, check_fhir_access, fhir_json,
                                     fhir_patient_scoped_operations)
from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import runtime_settings_for


@pytest.fixture
def runtime_settings(tmp_path, smtp_server):
    return runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port))


@pytest.fixture
def booked(runtime, world, smtp_server):
    news = world.booked()
    world.deliver(news)
    smtp_server.refuse["family@example.org"] = "550 5.1.1 No such user"
    send_due_deliveries(runtime)
    return news


def test_who_was_told_what_and_how_as_communications(client, auth, world, booked):
    bundle = fhir_json(client.get("/fhir/R4/Communication", headers=auth(),
                                  query_string={"patient": f"Patient/{world.patient}"}))
    assert bundle["total"] == 2
    by_recipient = {r["recipient"][0]["reference"].split("/")[0]: r for r in bundle_resources(bundle)}
    assert set(by_recipient) == {"Patient", "RelatedPerson"}
    patient = by_recipient["Patient"]
    assert patient["subject"] == {"reference": f"Patient/{world.patient}"}
    assert patient["status"] == "completed" and patient["category"][0]["coding"][0]["code"] == "appointments"
    assert {m["coding"][0]["code"] for m in patient["medium"]} == {"ONLINEWRIT", "EMAILWRIT"}
    # The family's email bounced; the in-app copy still reached the inbox.
    assert by_recipient["RelatedPerson"]["status"] == "completed"
    again = fhir_json(client.get(f"/fhir/R4/Communication/{patient['id']}", headers=auth()))
    assert again == patient
    assert "pat@example.org" not in str(bundle) and "family@example.org" not in str(bundle)
    none = fhir_json(client.get("/fhir/R4/Communication", headers=auth(), query_string={
        "patient": str(world.patient), "category": "billing"}))
    assert none["total"] == 0 and "entry" not in none


def test_care_team_rules_and_audit_apply(client, runtime, auth, world, booked):
    spec = client.get("/openapi.json").get_json()
    bundle = fhir_json(client.get("/fhir/R4/Communication", headers=auth(),
                                  query_string={"patient": f"Patient/{world.patient}"}))
    urls = check_fhir_access(client, runtime, spec, patient_id=str(world.patient),
                             ids={"Communication": bundle["entry"][0]["resource"]["id"]},
                             insider=auth("nurse", sub=world.nurse), outsider=auth("nurse", sub=world.stranger))
    assert len(urls) == 2 == len(fhir_patient_scoped_operations(spec))
    assert_outcome(client.get("/fhir/R4/Communication", headers=auth("billing", sub=world.billing_clerk),
                              query_string={"patient": str(world.patient)}), 403)
    assert_outcome(client.get(f"/fhir/R4/Communication/{uuid.uuid4()}", headers=auth()), 404)
    capability = fhir_json(client.get("/fhir/R4/metadata", headers=auth()))
    assert [r["type"] for r in capability["rest"][0]["resource"]] == ["Communication"]
