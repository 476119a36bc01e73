"""Each triage protocol's dispositions."""
import pytest

from carebridge_monitoring.domain.triage import DISPOSITIONS, PROTOCOL_CODES, protocols


def answers(protocol, *yes):
    return {code: code in yes for code in protocols()[protocol].question_codes}


def test_the_starting_set_of_protocols_is_there_with_advice_for_every_disposition():
    assert set(protocols()) == set(PROTOCOL_CODES)
    for protocol in protocols().values():
        assert set(protocol.advice) == set(DISPOSITIONS) and all(protocol.advice.values())


@pytest.mark.parametrize(("protocol", "yes", "disposition", "days"), [
    ("chest-pain", ("pain-now", "spreads-or-breathless"), "emergency", None),
    ("chest-pain", ("pain-now", "known-heart-disease"), "emergency", None),
    ("chest-pain", ("pain-now",), "same-day", None),
    ("chest-pain", ("known-heart-disease",), "same-day", None),
    ("chest-pain", ("worse-on-breathing-or-pressing",), "book-within-days", 2),
    ("chest-pain", (), "book-within-days", 3),
    ("shortness-of-breath", ("blue-lips-or-confused",), "emergency", None),
    ("shortness-of-breath", ("at-rest",), "emergency", None),
    ("shortness-of-breath", ("worse-than-usual", "swollen-legs-or-weight-gain"), "same-day", None),
    ("shortness-of-breath", ("worse-than-usual",), "book-within-days", 2),
    ("shortness-of-breath", (), "home-care", None),
    ("fever", ("stiff-neck-or-rash",), "emergency", None),
    ("fever", ("confused-or-very-unwell",), "emergency", None),
    ("fever", ("immunosuppressed",), "same-day", None),
    ("fever", ("over-three-days",), "book-within-days", 1),
    ("fever", (), "home-care", None),
    ("fall", ("head-injury-on-blood-thinner",), "emergency", None),
    ("fall", ("cannot-get-up-or-bear-weight",), "emergency", None),
    ("fall", ("new-pain-or-swelling",), "same-day", None),
    ("fall", ("fell-before",), "book-within-days", 7),
    ("fall", (), "home-care", None),
    ("medication-question", ("overdose-or-wrong-person",), "emergency", None),
    ("medication-question", ("possible-side-effect",), "same-day", None),
    ("medication-question", ("ran-out-of-critical",), "book-within-days", 1),
    ("medication-question", (), "home-care", None),
    ("high-blood-pressure-reading", ("over-180-with-symptoms", "over-180"), "emergency", None),
    ("high-blood-pressure-reading", ("over-180",), "same-day", None),
    ("high-blood-pressure-reading", ("over-160-repeatedly", "missed-doses"), "book-within-days", 3),
    ("high-blood-pressure-reading", ("missed-doses",), "home-care", None),
])
def test_the_answers_decide_the_disposition(protocol, yes, disposition, days):
    decided = protocols()[protocol].decide(answers(protocol, *yes))
    assert (decided.code, decided.days) == (disposition, days)
    assert decided.advice == protocols()[protocol].advice[disposition]
