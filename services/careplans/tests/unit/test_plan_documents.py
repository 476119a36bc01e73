"""Comparing plan documents: sections, patient-facing changes, visits to book."""
import copy

from carebridge_careplans.domain.plan_documents import activities_to_schedule, diff, is_patient_facing


def document(status="active", activities=None, goals=None, **details):
    return {"id": "p1", "patient_id": "x", "care_team_id": None, "status": status, "title": "Plan",
            "description": None, "conditions": [], "period": {"start": "2026-03-02", "end": None},
            "warning_signs": [], "contacts": [], "template": None,
            "goals": goals if goals is not None else [
                {"id": "g1", "description": "Walk daily", "target": {"measure": None, "detail": None,
                                                                     "due_date": None},
                 "lifecycle_status": "active", "achievement_status": None}],
            "activities": activities if activities is not None else [
                {"id": "m1", "kind": "medication", "status": "in-progress", "status_reason": None,
                 "description": None, "instructions": None,
                 "medication": {"name": "furosemide", "dose": "40 mg", "ingredient_codes": ["4603"]}},
                {"id": "f1", "kind": "follow-up", "status": "not-started", "status_reason": None,
                 "description": None, "instructions": None,
                 "follow_up": {"appointment_type_code": "follow-up", "window_start": "2026-03-09"}},
                {"id": "t1", "kind": "therapy", "status": "not-started", "status_reason": None,
                 "description": None, "instructions": None,
                 "therapy": {"appointment_type_code": None, "sessions_per_week": 3, "duration_weeks": 12}},
                {"id": "c1", "kind": "check-in", "status": "not-started", "status_reason": None,
                 "description": None, "instructions": None, "check_in": {"interval_days": 7}}],
            **details}


def changed(before, edit):
    after = copy.deepcopy(before)
    edit(after)
    return after


def test_nothing_changed_names_no_section():
    before = document()
    assert diff(before, copy.deepcopy(before))["changed_sections"] == []


def test_a_medication_change_is_in_medications_with_the_field_that_changed():
    before = document()
    after = changed(before, lambda d: d["activities"][0]["medication"].update(dose="80 mg"))
    result = diff(before, after)
    assert result["changed_sections"] == ["medications"]
    assert result["medications"]["changed"] == [
        {"id": "m1", "changes": {"medication.dose": {"from": "40 mg", "to": "80 mg"}}}]


def test_sections_goals_activities_status_and_details():
    before = document()

    def edit(d):
        d["goals"][0]["description"] = "Walk 30 minutes daily"
        d["activities"][1]["status"] = "scheduled"
        d["status"] = "on-hold"
        d["title"] = "New title"
    result = diff(before, changed(before, edit))
    assert result["changed_sections"] == ["goals", "activities", "status", "details"]
    assert result["status"] == {"from": "active", "to": "on-hold"}
    assert result["details"] == {"title": {"from": "Plan", "to": "New title"}}


def test_added_items_are_listed_whole():
    before = document()
    extra = {"id": "d1", "kind": "diet", "status": "not-started", "status_reason": None, "description": None,
             "instructions": None, "diet": {"recommendation": "Less salt"}}
    result = diff(before, changed(before, lambda d: d["activities"].append(extra)))
    assert result["activities"]["added"] == [extra]


def test_what_the_patient_does_is_patient_facing_in_an_active_plan():
    before = document()
    medication = changed(before, lambda d: d["activities"][0]["medication"].update(dose="80 mg"))
    visit = changed(before, lambda d: d["activities"][1]["follow_up"].update(window_start="2026-03-10"))
    goal = changed(before, lambda d: d["goals"][0].update(description="Walk more"))
    for after in (medication, visit, goal):
        assert is_patient_facing(diff(before, after), before, after)


def test_staff_only_changes_are_not_patient_facing():
    before = document()
    check_in = changed(before, lambda d: d["activities"][3]["check_in"].update(interval_days=14))
    achievement = changed(before, lambda d: d["goals"][0].update(achievement_status="improving"))
    title = changed(before, lambda d: d.update(title="Renamed"))
    for after in (check_in, achievement, title):
        assert not is_patient_facing(diff(before, after), before, after)


def test_drafts_are_not_the_patients_plan_yet():
    before = document(status="draft")
    edited = changed(before, lambda d: d["activities"][0]["medication"].update(dose="80 mg"))
    dropped = changed(before, lambda d: d.update(status="revoked"))
    activated = changed(before, lambda d: d.update(status="active"))
    assert not is_patient_facing(diff(before, edited), before, edited)
    assert not is_patient_facing(diff(before, dropped), before, dropped)
    assert is_patient_facing(diff(before, activated), before, activated)


def test_new_or_changed_visits_are_to_schedule_but_not_therapy_without_an_appointment_type():
    before = document()
    after = changed(before, lambda d: (d["activities"][1]["follow_up"].update(window_end="2026-03-16"),
                                       d["activities"][2]["therapy"].update(sessions_per_week=2)))
    assert [a["id"] for a in activities_to_schedule(before, after)] == ["f1"]
    assert activities_to_schedule(before, copy.deepcopy(before)) == []


def test_activating_a_plan_schedules_all_its_open_visits_and_a_draft_none():
    draft = document(status="draft")
    assert activities_to_schedule(None, draft) == []
    active = changed(draft, lambda d: d.update(status="active"))
    assert [a["id"] for a in activities_to_schedule(draft, active)] == ["f1"]
