"""GET /patients/{id}/chart: the record with its care teams, family and
allergies in one read, each as its own endpoint would answer it."""
import uuid

from carebridge.testing import assert_problem
from support import audit_of


def chart_url(patient_id) -> str:
    return f"/patients/{patient_id}/chart"


def as_listed(client, headers, patient_id, what: str) -> dict:
    return client.get(f"/patients/{patient_id}/{what}?page_size=100", headers=headers).get_json()


def test_the_chart_holds_what_the_four_reads_answer(client, staff, coordinator, runtime, patient):
    staff.team(patient["id"], [staff.practitioner("nurse")["id"]])
    staff.team(patient["id"], name="Cardiology", category="cardiology", status="proposed")
    staff.related_person(patient["id"])
    staff.allergy(patient["id"])
    staff.team(staff.patient()["id"])       # another patient's team is not in this chart

    response = client.get(chart_url(patient["id"]), headers=coordinator)

    assert response.status_code == 200
    chart = response.get_json()
    assert chart["patient"] == client.get(f"/patients/{patient['id']}", headers=coordinator).get_json()
    for key, listed in (("care_teams", "care-teams"), ("related_persons", "related-persons"),
                        ("allergies", "allergies")):
        assert chart[key] == as_listed(client, coordinator, patient["id"], listed)
    assert (chart["care_teams"]["total"], chart["related_persons"]["total"], chart["allergies"]["total"]) == (2, 1, 1)
    [record] = audit_of(runtime, action="read", resource_type="patient-chart")
    assert (record["patient_id"], record["resource_id"], record["outcome"]) == (patient["id"], patient["id"], "success")


def test_billing_staff_get_no_allergies_and_not_what_a_team_is_for(client, staff, auth, patient):
    staff.team(patient["id"], [staff.practitioner("nurse")["id"]], name="Oncology", category="oncology")
    staff.allergy(patient["id"])
    billing = auth("billing")

    chart = client.get(chart_url(patient["id"]), headers=billing).get_json()

    assert chart["allergies"] is None
    assert chart["care_teams"] == as_listed(client, billing, patient["id"], "care-teams")
    assert all("name" not in team and "category" not in team for team in chart["care_teams"]["items"])
    assert chart["related_persons"] == as_listed(client, billing, patient["id"], "related-persons")


def test_only_the_care_team_reads_a_nurses_patients_chart(client, runtime, patient, team_nurse, outsider):
    assert client.get(chart_url(patient["id"]), headers=team_nurse).status_code == 200
    assert_problem(client.get(chart_url(patient["id"]), headers=outsider), 403)
    assert [r["outcome"] for r in audit_of(runtime, resource_type="patient-chart")] == ["success", "denied"]


def test_an_unknown_patient_is_404_and_a_token_is_needed(client, coordinator, patient):
    assert_problem(client.get(chart_url(uuid.uuid4()), headers=coordinator), 404)
    assert_problem(client.get(chart_url(patient["id"])), 401)
