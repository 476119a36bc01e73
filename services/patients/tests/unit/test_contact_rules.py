import pytest

from carebridge.errors import RuleViolation
from carebridge_patients.domain.contact import (check_channel_reachable, check_quiet_hours, check_time_zone,
                                                normalise_language, normalise_phone)


@pytest.mark.parametrize("typed, e164", [
    ("+1 (312) 555-0142", "+13125550142"),
    ("0044 20 7946 0958", "+442079460958"),
    ("+33.1.23.45.67.89", "+33123456789"),
])
def test_phone_numbers_are_kept_in_e164(typed, e164):
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize("typed", ["312-555-0142", "+0123456789", "+1 555", "+1 555 CALL NOW", ""])
def test_phone_numbers_without_country_code_or_with_letters_are_refused(typed):
    with pytest.raises(ValueError, match="international"):
        normalise_phone(typed)


@pytest.mark.parametrize("typed, tag", [("EN", "en"), ("es-mx", "es-MX"), ("zh-hant-tw", "zh-Hant-TW"),
                                        ("es-419", "es-419")])
def test_language_tags_get_their_usual_case(typed, tag):
    assert normalise_language(typed) == tag


@pytest.mark.parametrize("typed", ["english", "e", "en_US", "en-", "x" * 40])
def test_malformed_language_tags_are_refused(typed):
    with pytest.raises(ValueError):
        normalise_language(typed)


def test_time_zones_must_be_iana_names():
    assert check_time_zone("America/Chicago") == "America/Chicago"
    for name in ("America/Springfield", "CST", "america/chicago", "../etc/passwd"):
        with pytest.raises(ValueError):
            check_time_zone(name)


@pytest.mark.parametrize("start, end", [(None, None), ("21:00", "08:00"), ("13:00", "14:30")])
def test_quiet_hours_are_a_window_or_nothing(start, end):
    check_quiet_hours(start, end)


@pytest.mark.parametrize("start, end", [("21:00", None), (None, "08:00"), ("22:00", "22:00"), ("24:00", "08:00"),
                                        ("9:00", "17:00")])
def test_quiet_hours_that_are_not_a_window_are_refused(start, end):
    with pytest.raises(ValueError):
        check_quiet_hours(start, end)


def _communication(channel, sms_consent=False):
    return {"preferred_channel": channel, "sms_consent": sms_consent}


def test_texts_need_consent_and_a_number_that_takes_them():
    sms = [{"system": "sms", "value": "+13125550199"}]
    check_channel_reachable(_communication("sms", sms_consent=True), sms)
    with pytest.raises(RuleViolation) as no_consent:
        check_channel_reachable(_communication("sms"), sms)
    assert "sms_consent" in no_consent.value.errors["communication"]
    with pytest.raises(RuleViolation) as no_number:
        check_channel_reachable(_communication("sms", sms_consent=True), [{"system": "phone", "value": "+13125550142"}])
    assert "contact_points" in no_number.value.errors


def test_email_needs_an_address_and_in_app_needs_nothing():
    check_channel_reachable(_communication("inapp"), [])
    check_channel_reachable(_communication("email"), [{"system": "email", "value": "a@example.org"}])
    with pytest.raises(RuleViolation):
        check_channel_reachable(_communication("email"), [])
