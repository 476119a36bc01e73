"""The templates' patient-facing words in Spanish (reference/templates/es/)."""
import pytest

from carebridge_careplans.domain.plain_language import summarise
from carebridge_careplans.reference import template_texts as texts
from carebridge_careplans.reference.plan_templates import plan_templates


@pytest.mark.parametrize("code", sorted(plan_templates()))
def test_every_patient_facing_text_of_every_template_has_its_spanish(code):
    assert texts.catalogue_problems("es", code) == []
    spanish = texts.template_texts(code, "es")
    assert spanish and all(text.strip() == text and text for text in spanish.values())


def test_a_missing_or_stale_translation_is_reported(monkeypatch):
    code = "heart-failure-post-discharge"
    catalogue = texts._catalogue("es", code)
    del catalogue["activities"]["metoprolol-succinate"]["instructions"]["es"]
    catalogue["warning_signs"][0]["en"] = "an older wording"
    monkeypatch.setattr(texts, "_catalogue", lambda language, wanted: catalogue)
    problems = texts.catalogue_problems("es", code)
    assert len(problems) == 2
    assert "activities/metoprolol-succinate/instructions: no es text" in problems[0]
    assert "warning_signs/0" in problems[1]


def test_no_translations_for_english_a_plan_without_template_or_an_unknown_one():
    assert texts.template_texts("heart-failure-post-discharge", "en") == {}
    assert texts.template_texts(None, "es") == {} and texts.template_texts("nope", "es") == {}


def document(**overrides):
    base = {"id": "p", "title": "Heart failure: the first 90 days after a hospital stay", "status": "active",
            "period": {"start": "2026-03-02", "end": None}, "goals": [], "warning_signs": [], "contacts": [],
            "activities": [{"id": "a", "kind": "medication", "status": "in-progress",
                            "instructions": "Swallow it whole. Do not stop it suddenly.",
                            "medication": {"name": "metoprolol succinate extended-release", "rxnorm_code": "6918",
                                           "dose": "25 mg (1 tablet)", "route": "oral", "frequency": "once-daily",
                                           "purpose": "slows and protects your heart"}}]}
    return {**base, **overrides}


SPANISH = texts.template_texts("heart-failure-post-discharge", "es")


def test_the_template_texts_are_told_in_spanish_by_the_activitys_code():
    summary = summarise(document(), language="es", translations=SPANISH)
    [medicine] = summary["medicines"]
    assert (medicine["what_for"], medicine["how_much"], medicine["notes"]) == (
        "hace latir su corazón más despacio y lo protege", "25 mg (1 tableta)", "Tráguelo entero. No lo deje de golpe.")
    assert summary["title"].startswith("Insuficiencia cardíaca") and summary["language_note"] is None
    # the same words on another medicine are not the template's: they stay as written
    other = document()
    other["activities"][0]["medication"]["rxnorm_code"] = "4603"
    assert summarise(other, language="es", translations=SPANISH)["medicines"][0]["notes"] == (
        "Swallow it whole. Do not stop it suddenly.")


def test_what_the_care_team_wrote_stays_in_english_and_the_summary_says_so_once():
    changed = document(goals=[{"description": "Walk to the mailbox every day", "lifecycle_status": "active",
                               "target": {"due_date": None}}])
    changed["activities"][0]["instructions"] = "Take it after breakfast."
    summary = summarise(changed, language="es", translations=SPANISH)
    assert summary["goals"][0]["goal"] == "Walk to the mailbox every day"
    assert summary["medicines"][0]["notes"] == "Take it after breakfast."
    assert summary["medicines"][0]["what_for"] == "hace latir su corazón más despacio y lo protege"
    assert summary["language_note"] == "Su equipo de cuidado escribió algunas partes de este plan en inglés."


@pytest.mark.parametrize("text, words", [("50 mg", False), ("under 300 mg/dL", True), ("300 mg/dL", False),
                                         ("130/80 mmHg", False), ("1 tablet", True)])
def test_only_words_need_a_translation(text, words):
    from carebridge_careplans.domain.plain_language import _has_words
    assert _has_words(text) is words


def test_numbers_and_units_need_no_translation():
    changed = document()
    changed["activities"][0]["medication"]["dose"] = "50 mg"
    summary = summarise(changed, language="es", translations=SPANISH)
    assert (summary["medicines"][0]["how_much"], summary["language_note"]) == ("50 mg", None)


def test_english_summaries_do_not_use_the_translations():
    summary = summarise(document(), language="en", translations=SPANISH)
    assert summary["medicines"][0]["notes"] == "Swallow it whole. Do not stop it suddenly."
    assert summary["language_note"] is None and summary["title"].startswith("Heart failure")
