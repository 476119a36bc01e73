"""Medication safety through the API: each severity, duplicate therapy,
allergy conflicts, and who may override."""
import uuid

import pytest

from support import (AMOXICILLIN, CARVEDILOL, CEPHALEXIN, FUROSEMIDE, IBUPROFEN, LISINOPRIL, METFORMIN, METOPROLOL,
                               POTASSIUM_CHLORIDE, SACUBITRIL_VALSARTAN, SPIRONOLACTONE, VALSARTAN, WARFARIN,
                               activity_of, create_plan, medication, plan_body, revise)
from carebridge.testing import audit_trail, deliver, make_event, outbox

OVERRIDE = {"reason": "Cardiology reviewed; benefits outweigh the risk with monitoring"}


@pytest.fixture
def heart_failure_plan(client, as_, team):
    return create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("sacubitril/valsartan", SACUBITRIL_VALSARTAN, frequency="twice-daily"),
        medication("spironolactone", SPIRONOLACTONE)]))


def alerts(client, as_, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return client.get(f"/medication-alerts?{params}", headers=as_("coordinator")).get_json()["items"]


def test_adding_lisinopril_to_sacubitril_valsartan_is_refused_as_contraindicated(client, as_, heart_failure_plan):
    response = revise(client, as_("coordinator"), heart_failure_plan,
                      activities=[medication("lisinopril", LISINOPRIL)])
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["type"].endswith("medication-safety")
    blocking = [f for f in problem["findings"] if f["blocking"]]
    assert [(f["kind"], f["severity"]) for f in blocking] == [("drug-interaction", "contraindicated")]
    assert "ace-inhibitor+sacubitril" in blocking[0]["references"]
    assert client.get(f"/care-plans/{heart_failure_plan['id']}", headers=as_("coordinator")).get_json()[
        "version"] == 1


def test_a_refused_change_keeps_and_publishes_its_findings_with_the_version_it_was_tried_on(
        client, as_, heart_failure_plan, runtime, team):
    revise(client, as_("physician"), heart_failure_plan, activities=[
        medication("potassium chloride", POTASSIUM_CHLORIDE, detail={"prescriber_id": str(team.physician_id)})])
    kept = alerts(client, as_, plan_id=heart_failure_plan["id"], outcome="blocked")
    assert {(a["severity"], a["plan_version"]) for a in kept} == {("major", 1), ("moderate", 1)}
    published = [e.data for e in outbox(runtime, "careplans.medication-alert") if e.data["plan_version"] == 1
                 and e.data["severity"] == "major"]
    assert [(e["kind"], e["overridden"], e["outcome"]) for e in published] == [("drug-interaction", False, "blocked")]
    assert published[0]["rxnorm_codes"] == [POTASSIUM_CHLORIDE, SPIRONOLACTONE]
    assert published[0]["prescriber_id"] == str(team.physician_id)


@pytest.mark.parametrize("role", ["physician", "nurse"])
def test_a_physician_or_nurse_overrides_with_a_reason(client, as_, heart_failure_plan, runtime, role, team):
    response = revise(client, as_(role), heart_failure_plan, activities=[medication("potassium chloride",
                                                                                   POTASSIUM_CHLORIDE)],
                      medication_override=OVERRIDE)
    assert response.status_code == 200 and response.get_json()["version"] == 2
    [major] = alerts(client, as_, plan_id=heart_failure_plan["id"], severity="major")
    assert (major["outcome"], major["plan_version"], major["override_reason"]) == ("overridden", 2,
                                                                                  OVERRIDE["reason"])
    assert major["overridden_by"] == str(getattr(team, f"{role}_id"))
    event = [e for e in outbox(runtime, "careplans.medication-alert") if e.data["severity"] == "major"][-1]
    assert event.data["overridden"] is True and event.data["overridden_by"] == major["overridden_by"]
    assert event.data["outcome"] == "overridden"
    assert OVERRIDE["reason"] not in event.to_json()


@pytest.mark.parametrize("role", ["coordinator", "specialist"])
def test_other_roles_cannot_override_and_the_refusal_is_audited(client, as_, heart_failure_plan, runtime, role):
    before = len(audit_trail(runtime))
    response = revise(client, as_(role), heart_failure_plan,
                      activities=[medication("potassium chloride", POTASSIUM_CHLORIDE)], medication_override=OVERRIDE)
    assert response.status_code == 403
    assert [(r["resource_type"], r["outcome"]) for r in audit_trail(runtime)[before:]] == [
        ("medication-override", "denied")]
    # Issue 25, item 8: told who may override, not a generic refusal.
    assert "Only a physician or nurse may override" in response.get_json()["detail"]
    assert alerts(client, as_, plan_id=heart_failure_plan["id"], severity="major") == []


def test_an_override_reason_must_say_something(client, as_, heart_failure_plan):
    response = revise(client, as_("physician"), heart_failure_plan,
                      activities=[medication("potassium chloride", POTASSIUM_CHLORIDE)],
                      medication_override={"reason": ""})
    assert response.status_code == 422 and "medication_override" in response.get_json()["errors"]


def test_a_moderate_interaction_is_accepted_kept_and_published(client, as_, team, runtime):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("valsartan", VALSARTAN), medication("spironolactone", SPIRONOLACTONE)]))
    [alert] = alerts(client, as_, plan_id=plan["id"])
    assert (alert["severity"], alert["outcome"], alert["plan_version"]) == ("moderate", "accepted", 1)
    assert [e.data["severity"] for e in outbox(runtime, "careplans.medication-alert")] == ["moderate"]


def test_a_minor_interaction_is_accepted(client, as_, team):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("metformin", METFORMIN), medication("furosemide", FUROSEMIDE)]))
    assert [(a["severity"], a["outcome"]) for a in alerts(client, as_, plan_id=plan["id"])] == [("minor", "accepted")]


def test_warfarin_with_an_nsaid_from_another_plan_is_refused(client, as_, team):
    create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("warfarin", WARFARIN)]))
    response = client.post("/care-plans", json=plan_body(team.patient_id, activities=[
        medication("ibuprofen", IBUPROFEN)]), headers=as_("coordinator"))
    assert response.status_code == 409
    assert [(f["severity"], f["references"]) for f in response.get_json()["findings"]] == [
        ("major", ["warfarin+nsaids"])]


def test_duplicate_therapy_in_one_class_is_refused(client, as_, team):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("metoprolol", METOPROLOL)]))
    response = revise(client, as_("coordinator"), plan, activities=[medication("carvedilol", CARVEDILOL)])
    assert response.status_code == 409
    assert [(f["kind"], f["severity"]) for f in response.get_json()["findings"]] == [("duplicate-therapy", "major")]


def test_switching_in_one_change_stops_the_old_drug_first(client, as_, team):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("lisinopril", LISINOPRIL, status="in-progress")]))
    lisinopril = activity_of(plan, "medication")
    response = revise(client, as_("physician"), plan, reason="switch to ARNI after 36 h washout", activities=[
        {"id": lisinopril["id"], "status": "stopped"},
        medication("sacubitril/valsartan", SACUBITRIL_VALSARTAN, frequency="twice-daily")])
    assert response.status_code == 200
    assert alerts(client, as_, plan_id=plan["id"]) == []


def test_medications_of_closed_plans_no_longer_count(client, as_, team):
    old = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("warfarin", WARFARIN)]))
    client.put(f"/care-plans/{old['id']}/status", json={"status": "completed", "reason": "done"},
               headers=as_("physician", **{"If-Match": '"1"'}))
    create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("ibuprofen", IBUPROFEN)]))


def allergy_event(team, code, system="rxnorm", revision=1, allergy_id=None, **extra):
    return make_event("patients.allergy-changed", {
        "allergy_id": allergy_id or uuid.uuid4(), "patient_id": team.patient_id, "revision": revision,
        "substance_system": system, "substance_code": code, "category": "medication",
        "criticality": extra.pop("criticality", "low"), "clinical_status": extra.pop("clinical_status", "active"),
        **extra})


def test_an_allergy_conflict_blocks_the_medication(client, as_, team, runtime):
    deliver(runtime, allergy_event(team, "class:penicillins", system="drug-class", criticality="high"))
    response = client.post("/care-plans", json=plan_body(team.patient_id, activities=[
        medication("amoxicillin", AMOXICILLIN)]), headers=as_("nurse"))
    assert response.status_code == 409
    [finding] = response.get_json()["findings"]
    assert (finding["kind"], finding["severity"], finding["rxnorm_codes"]) == ("allergy", "contraindicated",
                                                                              [AMOXICILLIN])


def test_a_cephalosporin_allergy_from_the_patients_service_blocks_cephalexin(client, as_, team, runtime):
    # class:cephalosporins is on the shared list the patients service validates against
    allergy_id = uuid.uuid4()
    deliver(runtime, allergy_event(team, "class:cephalosporins", system="drug-class", allergy_id=allergy_id))
    response = client.post("/care-plans", json=plan_body(team.patient_id, activities=[
        medication("cephalexin", CEPHALEXIN, dose="500 mg (1 capsule)", frequency="four-times-daily")]),
        headers=as_("nurse"))
    assert response.status_code == 409
    [finding] = response.get_json()["findings"]
    assert (finding["kind"], finding["severity"], finding["rxnorm_codes"], finding["allergy_id"]) == (
        "allergy", "major", [CEPHALEXIN], str(allergy_id))


def test_a_resolved_allergy_no_longer_blocks(client, as_, team, runtime):
    allergy_id = uuid.uuid4()
    deliver(runtime, allergy_event(team, AMOXICILLIN, allergy_id=allergy_id))
    deliver(runtime, allergy_event(team, AMOXICILLIN, allergy_id=allergy_id, revision=2, clinical_status="resolved"))
    create_plan(client, as_("nurse"), plan_body(team.patient_id, activities=[medication("amoxicillin", AMOXICILLIN)]))


def test_the_allergy_conflict_is_overridable_and_names_the_allergy(client, as_, team, runtime):
    allergy_id = uuid.uuid4()
    deliver(runtime, allergy_event(team, AMOXICILLIN, allergy_id=allergy_id))
    body = plan_body(team.patient_id, activities=[medication("amoxicillin", AMOXICILLIN)],
                     medication_override={"reason": "Rash in childhood only; tolerated cefalexin; observed dose"})
    plan = create_plan(client, as_("physician"), body)
    [alert] = alerts(client, as_, plan_id=plan["id"])
    assert (alert["kind"], alert["outcome"], alert["allergy_id"]) == ("allergy", "overridden", str(allergy_id))


def test_alerts_list_is_filtered_to_the_callers_patients_and_each_alert_readable(client, as_, team, runtime):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("valsartan", VALSARTAN), medication("spironolactone", SPIRONOLACTONE)]))
    [alert] = alerts(client, as_, plan_id=plan["id"])
    assert client.get(f"/medication-alerts/{alert['id']}", headers=as_("nurse")).get_json() == alert
    assert client.get("/medication-alerts", headers=as_("outsider")).get_json()["total"] == 0
    assert client.get(f"/medication-alerts/{uuid.uuid4()}", headers=as_("coordinator")).status_code == 404
    assert client.get("/medication-alerts?severity=severe", headers=as_("nurse")).status_code == 422


class TestAMedicationOutsideTheReferenceTable:
    """Issue 25, item 4: saved, with a visible "not checked for interactions" finding, never silently."""

    def test_is_saved_with_a_not_checked_finding_shown_with_the_plan(self, client, as_, team, runtime):
        plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
            medication("sacubitril/valsartan", SACUBITRIL_VALSARTAN), medication("Herbal heart tonic", None)]))
        tonic = [a for a in plan["activities"] if a["medication"]["name"] == "Herbal heart tonic"][0]
        [finding] = alerts(client, as_, plan_id=plan["id"], kind="not-checked")
        assert (finding["activity_id"], finding["severity"], finding["outcome"]) == (tonic["id"], "minor",
                                                                                     "accepted")
        assert finding["text"].startswith("Not checked for interactions: Herbal heart tonic")
        version = client.get(f"/care-plans/{plan['id']}/versions/1", headers=as_("coordinator")).get_json()
        assert [a["kind"] for a in version["medication_alerts"]] == ["not-checked"]
        # Nothing dangerous was found, so nothing is announced; and no name leaves in an event.
        assert outbox(runtime, "careplans.medication-alert") == []

    def test_an_unknown_code_is_named_in_the_finding(self, client, as_, team):
        plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
            medication("new trial drug", "99999999")]))
        [finding] = alerts(client, as_, plan_id=plan["id"])
        assert finding["kind"] == "not-checked" and finding["rxnorm_codes"] == ["99999999"]

    def test_known_medications_carry_no_such_finding(self, client, as_, team):
        plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
            medication("furosemide", FUROSEMIDE)]))
        assert alerts(client, as_, plan_id=plan["id"]) == []


def test_a_refusal_names_both_medicines_in_words(client, as_, heart_failure_plan, runtime):
    """Issue 25, item 8: "lisinopril with sacubitril/valsartan", not only codes and drug classes."""
    problem = revise(client, as_("coordinator"), heart_failure_plan,
                     activities=[medication("lisinopril", LISINOPRIL)]).get_json()
    assert "lisinopril with sacubitril/valsartan (contraindicated drug interaction)" in problem["detail"]
    [blocking] = [f for f in problem["findings"] if f["blocking"]]
    assert blocking["medicines"] == "lisinopril with sacubitril/valsartan"
    assert blocking["text"].startswith("lisinopril with sacubitril/valsartan: ")
    [kept] = alerts(client, as_, plan_id=heart_failure_plan["id"], outcome="blocked", severity="contraindicated")
    assert kept["text"].startswith("lisinopril with sacubitril/valsartan: ")
    assert "lisinopril" not in outbox(runtime, "careplans.medication-alert")[-1].to_json()
