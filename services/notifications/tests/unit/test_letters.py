"""The letters to patients and family, read for plain language: every
template, in every language, filled with every kind of fact it may show,
has no codes and no sentence over 25 words; and the facts come out in the
reader's words, time zone and locale."""
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from carebridge_notifications.domain.letters import LETTER_LANGUAGES, letter_templates, render_letter
from carebridge_notifications.domain.routing_rules import RULES

START = datetime(2026, 3, 3, 14, 0, tzinfo=timezone.utc)
FACTS = {
    "appointment_id": str(uuid.uuid4()), "patient_id": str(uuid.uuid4()), "practitioner_id": str(uuid.uuid4()),
    "appointment_type_code": "cardiology-follow-up", "service_code": "99214", "setting": "outpatient-clinic",
    "start": START.isoformat(), "end": (START + timedelta(minutes=30)).isoformat(), "status": "approved",
    "previous_start": (START - timedelta(days=2)).isoformat(), "reason_code": "provider-unavailable",
    "slot_start": START.isoformat(), "slot_end": (START + timedelta(minutes=30)).isoformat(),
    "hold_expires_at": (START - timedelta(hours=20)).isoformat(), "expires_on": "2026-06-30",
    "changed_sections": ["medications", "activities"], "telehealth": False, "offset_minutes": 1440,
    "issue": "expiring", "series_index": 1, "series_size": 6, "prior_auth_id": str(uuid.uuid4()),
}
LINK = "https://care.example.org/messages/AbC.dEf"
# What a code looks like: one of the codes the facts carry (several words
# joined by hyphens, a snake_case name), a billing code's five digits, an
# identifier, or an upper-case abbreviation nobody says aloud.
CODES_IN_FACTS = ("cardiology-follow-up", "outpatient-clinic", "provider-unavailable", "home-telehealth",
                  "changed_sections", "appointment_type_code")
CODE = re.compile("|".join(re.escape(code) for code in CODES_IN_FACTS)
                  + r"|\b[a-z]+_[a-z_]+\b|\b\d{5}\b|[0-9a-f]{8}-[0-9a-f]{4}|\b(?!MRI\b)[A-Z]{3,}\b")
PATIENT_TEMPLATES = sorted({send.template for rule in RULES.values() for send in rule.sends
                            if send.to in ("patient", "family")})


def sentences(text):
    text = text.replace(LINK, "")
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n", text) if s.strip()]


def renderings():
    for language in LETTER_LANGUAGES:
        for template in PATIENT_TEMPLATES:
            for audience in ("patient", "family"):
                for detail in ("full", "private"):
                    for telehealth in (False, True):
                        for status in ("approved", "denied", "pended"):
                            facts = {**FACTS, "telehealth": telehealth, "status": status}
                            if telehealth:  # with the names fetched at sending time, and without
                                facts.update(place_name="Saint Mary's Heart and Vascular Center at Riverside",
                                             practitioner_name="Maria de los Angeles Gutierrez-Smith")
                            yield (language, template, audience, detail), render_letter(
                                template, audience, language, facts, "America/Chicago", LINK, detail=detail)


def test_every_message_kind_patients_and_family_get_has_a_letter_in_each_language():
    names = set(letter_templates())
    for language in LETTER_LANGUAGES:
        assert {f"{language}/{template}.txt" for template in PATIENT_TEMPLATES} <= names


def test_no_codes_and_no_sentence_over_25_words():
    for key, letter in renderings():
        text = f"{letter.subject}\n{letter.text}".replace(LINK, "")
        assert not CODE.findall(text), (key, CODE.findall(text))
        assert "None" not in text and "{" not in text, key
        for sentence in sentences(letter.text) + [letter.subject]:
            assert len(sentence.split()) <= 25, (key, sentence)


def test_the_template_files_themselves_hold_no_long_sentences():
    from importlib import resources
    folder = resources.files("carebridge_notifications") / "templates" / "letters"
    for name in letter_templates():
        words_only = re.sub(r"{[{%].*?[%}]}", "x", (folder / name).read_text(encoding="utf-8"))
        for sentence in sentences(words_only):
            assert len(sentence.split()) <= 25, (name, sentence)


def test_a_reminder_says_when_where_and_how_to_answer_in_the_readers_time_and_words():
    letter = render_letter("appointment-reminder", "patient", "en", FACTS, "America/Chicago", LINK)
    assert letter.subject == "Reminder: your visit on Tuesday, March 3, 2026"
    assert "When: Tuesday, March 3, 2026, at 8:00 AM (Central Time)." in letter.text
    assert "Where: at the clinic." in letter.text and "cardiology follow-up" in letter.text.lower()
    assert "photo ID" in letter.text and LINK in letter.text and "cancel" in letter.text


def test_the_place_and_practitioner_names_when_the_other_services_gave_them():
    facts = {**FACTS, "place_name": "Main Street Clinic", "practitioner_name": "Maya Chen"}
    letter = render_letter("appointment-reminder", "patient", "en", facts, "America/Chicago", LINK)
    assert "Where: Main Street Clinic, at the clinic.\nWith: Maya Chen." in letter.text
    spanish = render_letter("appointment-reminder", "patient", "es", facts, "America/Chicago", LINK)
    assert "Dónde: Main Street Clinic, en la clínica.\nCon: Maya Chen." in spanish.text


def test_spanish_and_the_fallback_to_english_that_says_so():
    spanish = render_letter("appointment-reminder", "patient", "es-MX", FACTS, "America/Chicago", LINK)
    assert spanish.language == "es" and "martes, 3 de marzo de 2026" in spanish.text
    french = render_letter("appointment-reminder", "patient", "fr", FACTS, "Europe/Paris", LINK)
    assert french.language == "en" and "not have this message in your language" in french.text
    assert "3:00 PM" in french.text  # 14:00 UTC in Paris


def test_private_detail_says_nothing_of_the_visit():
    letter = render_letter("appointment-reminder", "family", "en", FACTS, "America/Chicago", LINK, detail="private")
    assert LINK in letter.text and "2026" not in letter.text and "clinic" not in letter.text


@pytest.mark.parametrize("language, expected", [("en", "$1,234.50"), ("es", "1234.50")])
def test_money_is_formatted_for_the_locale(language, expected):
    from carebridge_notifications.domain.letters import _LOCALES
    from babel.numbers import format_currency
    from decimal import Decimal
    assert expected.replace(",", "") in format_currency(Decimal("1234.50"), "USD", locale=_LOCALES[language]) \
        .replace(",", "").replace("\xa0", " ").replace("US$", "$")
