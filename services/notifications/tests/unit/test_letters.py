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
    # Cost estimates and claim outcomes (billing): codes, a day and money.
    "estimate_id": str(uuid.uuid4()), "claim_id": str(uuid.uuid4()), "category": "specialist",
    "service_date": "2026-03-02", "basis": "with-coverage", "include_family": True,
    "charge": {"amount": "1250.00", "currency": "USD"}, "copay": {"amount": "30.00", "currency": "USD"},
    "deductible": {"amount": "600.00", "currency": "USD"}, "coinsurance": {"amount": "130.00", "currency": "USD"},
    "patient_pays": {"amount": "760.00", "currency": "USD"}, "plan_pays": {"amount": "490.00", "currency": "USD"},
    "billed": {"amount": "1250.00", "currency": "USD"}, "paid": {"amount": "1210.00", "currency": "USD"},
    "patient_responsibility": {"amount": "40.00", "currency": "USD"}, "reason_codes": ["197"],
    "after_appeal": False,
}
JOIN = "https://meet.jit.si/CareBridge0f1e2d3c4b5a69788796a5b4c3d2e1f0?jwt=eyJhbGciOiJIUzI1NiJ9.eyJST09NIjoiQUJDIn0.SIG"
LINK = "https://care.example.org/messages/AbC.dEf"
# What a code looks like: one of the codes the facts carry (several words
# joined by hyphens, a snake_case name), a billing code's five digits, an
# identifier, or an upper-case abbreviation nobody says aloud.
CODES_IN_FACTS = ("cardiology-follow-up", "outpatient-clinic", "provider-unavailable", "home-telehealth",
                  "changed_sections", "appointment_type_code", "with-coverage", "no-coverage", "not-covered",
                  "no-approval", "coverage-ended", "other-payer", "billing-error", "USD", "197", "XYZ9")
CODE = re.compile("|".join(re.escape(code) for code in CODES_IN_FACTS)
                  + r"|\b[a-z]+_[a-z_]+\b|\b\d{5}\b|[0-9a-f]{8}-[0-9a-f]{4}|\b(?!MRI\b)[A-Z]{3,}\b")
PATIENT_TEMPLATES = sorted({send.template for rule in RULES.values() for send in rule.sends
                            if send.to in ("patient", "family")})


def sentences(text):
    text = text.replace(LINK, "").replace(JOIN, "")
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n", text) if s.strip()]


ZERO = {"amount": "0.00", "currency": "USD"}
# What a billing letter may say: each basis of an estimate, nothing owed, an
# appeal's answer, a reason about the coverage, a code nobody knows, no day.
MONEY_VARIANTS = (
    {},
    {"basis": "no-coverage", "appointment_type_code": None, "category": "imaging"},
    {"basis": "not-covered", "patient_responsibility": ZERO, "copay": ZERO},
    {"after_appeal": True, "reason_codes": ["27"], "service_date": None, "billed": None},
    {"reason_codes": ["XYZ9"], "deductible": ZERO, "coinsurance": ZERO},
)


BILLING_LETTERS = ("estimate-sent", "claim-paid", "claim-denied")


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
                            if status == "denied":  # the video link fetched at sending time
                                facts.update(join_url=JOIN)
                            for variant in MONEY_VARIANTS if template in BILLING_LETTERS else ({},):
                                for on_page in (False, True):
                                    yield (language, template, audience, detail, variant, on_page), render_letter(
                                        template, audience, language, {**facts, **variant}, "America/Chicago",
                                        LINK, detail=detail, on_page=on_page)


def test_every_message_kind_patients_and_family_get_has_a_letter_in_each_language():
    names = set(letter_templates())
    for language in LETTER_LANGUAGES:
        assert {f"{language}/{template}.txt" for template in PATIENT_TEMPLATES} <= names


def test_no_codes_and_no_sentence_over_25_words():
    for key, letter in renderings():
        text = f"{letter.subject}\n{letter.text}".replace(LINK, "").replace(JOIN, "")
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


def test_every_billing_letter_is_among_the_patient_templates():
    assert set(BILLING_LETTERS) <= set(PATIENT_TEMPLATES)


@pytest.mark.parametrize("language, owes, paid", [("en", "You owe: $40.00.", "The insurance paid: $1,210.00."),
                                                  ("es", "Usted debe: ", "El seguro pagó: ")])
def test_a_claim_outcome_names_the_amounts_in_the_readers_locale(language, owes, paid):
    from babel.numbers import format_currency
    from decimal import Decimal
    letter = render_letter("claim-paid", "patient", language, FACTS, "America/Chicago", LINK)
    assert owes in letter.text and paid in letter.text
    assert format_currency(Decimal("40.00"), "USD", locale=_locale(language)) in letter.text
    assert format_currency(Decimal("1210.00"), "USD", locale=_locale(language)) in letter.text


def _locale(language):
    from carebridge_notifications.domain.letters import _LOCALES
    return _LOCALES[language]


def test_a_denial_reason_is_plain_words_and_an_unknown_code_is_never_shown():
    unknown = render_letter("claim-denied", "patient", "en", {**FACTS, "reason_codes": ["XYZ9"]}, "UTC", LINK)
    assert "The reason: the insurance gave a reason our billing team will explain to you." in unknown.text
    assert "XYZ9" not in unknown.text
    spanish = render_letter("claim-denied", "family", "es", FACTS, "UTC", LINK)
    assert "La razón: el seguro tenía que aprobar este cuidado antes de la cita" in spanish.text


@pytest.mark.parametrize("language, opens", [("en", "Open this video link a few minutes before the start:"),
                                             ("es", "Abra este enlace del video unos minutos antes de la hora:")])
def test_a_video_visit_reminder_carries_its_join_link_with_full_detail_only(language, opens):
    facts = {**FACTS, "telehealth": True, "setting": "home-telehealth", "join_url": JOIN}
    full = render_letter("appointment-reminder", "patient", language, facts, "America/Chicago", LINK)
    assert f"{opens}\n{JOIN}\n" in full.text and "15" not in full.text.split(JOIN)[1].split("\n")[1]
    private = render_letter("appointment-reminder", "patient", language, facts, "America/Chicago", LINK,
                            detail="private")
    assert JOIN not in private.text and LINK in private.text
    page = render_letter("appointment-reminder", "patient", language, facts, "America/Chicago", "", on_page=True)
    assert JOIN in page.text


def test_a_video_visit_without_its_link_says_where_to_find_it():
    facts = {**FACTS, "telehealth": True, "setting": "home-telehealth"}
    assert "You will find the video link on our secure page." in render_letter(
        "appointment-reminder", "patient", "en", facts, "UTC", LINK).text
    assert "We could not get the video link just now." in render_letter(
        "appointment-reminder", "patient", "en", facts, "UTC", "", on_page=True).text


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_rescheduled_visit_is_written_without_the_booking_only_telehealth_flag(language):
    """scheduling.appointment-rescheduled carries no `telehealth` (only
    appointment-booked does): the letter failed to render, and with it the
    delivery job stopped sending every other message."""
    facts = {key: value for key, value in FACTS.items() if key != "telehealth"}
    letter = render_letter("appointment-rescheduled", "patient", language, facts, "America/Chicago", LINK)
    assert LINK in letter.text
