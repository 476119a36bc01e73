"""Odd input is a clear 400/422, never a 500, on SQLite and PostgreSQL alike
(issue 23; the rules are the kit's, carebridge.web.input_rules)."""
from carebridge.testing import assert_problem
from support import create_plan, plan_body

HUGE = "1180591620717411303424"  # 2**70


def test_integers_beyond_64_bits_in_the_path_and_query_are_400(client, as_, team):
    plan = create_plan(client, as_("physician"), plan_body(team.patient_id))
    assert_problem(client.get(f"/care-plans/{plan['id']}/versions/{HUGE}", headers=as_("nurse")), 400)
    problem = assert_problem(client.get(f"/care-plans/{plan['id']}/diff", query_string={"from": HUGE, "to": 1},
                                        headers=as_("nurse")), 400)
    assert problem["errors"] == {"from": ["out of range"]}


def test_a_compact_or_full_width_date_is_not_a_date(client, as_, team):
    for start in ("19700101", "２０２６-03-02"):
        body = plan_body(team.patient_id)
        body["period"] = {"start": start}
        assert_problem(client.post("/care-plans", json=body, headers=as_("physician")), 422)


def test_a_nul_in_a_title_is_refused_rather_than_stored(client, as_, team):
    body = {**plan_body(team.patient_id), "title": "Heart\x00failure"}
    assert assert_problem(client.post("/care-plans", json=body, headers=as_("physician")), 422)["errors"] == {
        "title": ["contains a NUL character"]}
