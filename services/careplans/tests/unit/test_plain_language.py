"""The patient summary speaks everyday words."""
from carebridge.vocabulary.appointment_types import APPOINTMENT_TYPES
from carebridge_careplans.domain.plain_language import PATIENT_WORDS, summarise


def test_every_shared_appointment_type_has_patient_words():
    # the codes are the kit's; a new shared type needs words here before a plan may name it
    assert set(PATIENT_WORDS) == set(APPOINTMENT_TYPES)
    assert all(words and words == words.strip() for words in PATIENT_WORDS.values())


def plan(**overrides):
    base = {
        "id": "p1", "title": "Heart failure care", "status": "active",
        "period": {"start": "2026-03-02", "end": "2026-06-01"},
        "goals": [{"description": "Weigh yourself daily", "target": {"due_date": "2026-04-01"},
                   "lifecycle_status": "active"},
                  {"description": "Old goal", "target": None, "lifecycle_status": "cancelled"}],
        "activities": [
            {"id": "a", "kind": "medication", "status": "in-progress", "instructions": None,
             "medication": {"name": "furosemide", "dose": "40 mg", "route": "oral", "frequency": "twice-daily",
                            "times_of_day": ["08:00", "14:00"], "purpose": "removes extra fluid",
                            "duration_days": 5}},
            {"id": "b", "kind": "medication", "status": "stopped", "instructions": "Your kidneys need a rest.",
             "medication": {"name": "ibuprofen", "dose": "400 mg", "route": "oral", "frequency": "as-needed"}},
            {"id": "c", "kind": "follow-up", "status": "not-started", "status_reason": "missed-appointment",
             "follow_up": {"appointment_type_code": "cardiology-follow-up", "window_start": "2026-03-09",
                           "window_end": "2026-03-16"}},
            {"id": "d", "kind": "therapy", "status": "scheduled", "description": "physical therapy",
             "therapy": {"appointment_type_code": "physical-therapy", "sessions_per_week": 2,
                         "duration_weeks": 6, "start_date": "2026-03-05", "sessions_completed": 0}},
            {"id": "e", "kind": "diet", "status": "not-started", "diet": {"recommendation": "Eat less salt."}},
            {"id": "f", "kind": "check-in", "status": "not-started", "check_in": {"interval_days": 7}},
        ],
        "warning_signs": [{"sign": "Sudden weight gain", "action": "call-care-team"},
                          {"sign": "Chest pain", "action": "call-emergency"}],
        "contacts": [{"role": "coordinator", "name": "Sam Rivera", "phone": "+1 555 0100", "hours": "weekdays"},
                     {"role": "after-hours-line", "phone": "+1 555 0199"}],
    }
    return {**base, **overrides}


def test_medicines_say_how_and_when_in_plain_words():
    [medicine] = summarise(plan())["medicines"]
    assert medicine == {"name": "furosemide", "what_for": "removes extra fluid", "how_much": "40 mg",
                        "how": "by mouth",
                        "when": "2 times a day (at 8:00 am and 2:00 pm)",
                        "for_how_long": "for 5 days", "notes": None}


def test_stopped_medicines_are_listed_to_stop():
    assert summarise(plan())["stop_taking"] == [{"name": "ibuprofen", "notes": "Your kidneys need a rest."}]


def test_visits_say_when_and_what_to_do_about_booking():
    [visit] = summarise(plan())["visits"]
    assert visit["what"] == "A follow-up visit with your heart doctor"
    assert visit["when"] == "between Monday, March 9 and Monday, March 16"
    assert "missed" in visit["booking"] and "book a new time" in visit["booking"]


def test_therapy_diet_goals_warnings_and_contacts():
    summary = summarise(plan())
    assert summary["therapy"][0]["how_often"] == "2 times a week for 6 weeks"
    assert summary["therapy"][0]["starting"] == "Thursday, March 5"
    assert summary["diet"] == [{"what": "Eat less salt.", "notes": None}]
    assert summary["goals"] == [{"goal": "Weigh yourself daily", "by_when": "Wednesday, April 1"}]
    assert [w["what_to_do"] for w in summary["watch_for"]] == ["Call your care team the same day.",
                                                              "Call 911 right away."]
    assert summary["whom_to_call"] == [
        {"who": "Sam Rivera, your care coordinator", "phone": "+1 555 0100", "when": "weekdays"},
        {"who": "The after-hours line", "phone": "+1 555 0199", "when": None}]


def test_staff_only_activities_stay_out_of_the_summary():
    summary = summarise(plan())
    assert "check_in" not in str(summary) and "interval" not in str(summary)


def test_a_paused_medicine_says_not_to_take_it():
    paused = plan(activities=[{"id": "a", "kind": "medication", "status": "on-hold", "instructions": None,
                               "medication": {"name": "metformin", "dose": "500 mg", "route": "oral",
                                              "frequency": "every-evening"}}])
    assert summarise(paused)["medicines"][0]["notes"].startswith("Paused: do not take it")


def test_the_spanish_words_cover_every_english_one():
    from carebridge_careplans.domain import plain_language as en, summary_words_es as es
    for name in ("PATIENT_WORDS", "FREQUENCY_WORDS", "ROUTE_WORDS", "WARNING_ACTIONS", "CONTACT_WORDS", "PHRASES",
                 "PAGE"):
        assert set(getattr(es, name)) == set(getattr(en, name)), name
    for key, text in en.PHRASES.items():
        if text and "{" in text:
            assert es.PHRASES[key].count("{") == text.count("{"), key
