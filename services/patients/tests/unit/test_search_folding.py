import pytest

from carebridge_patients.domain.search import fold, search_key, search_terms


@pytest.mark.parametrize("typed, folded", [
    ("José Ángel", "jose angel"),
    ("MUÑOZ", "munoz"),
    ("Muñoz-García", "munoz garcia"),
    ("O'Brien", "obrien"),
    ("Søren Łukasz Đorđe", "soren lukasz dorde"),
    ("Straße", "strasse"),
    ("  many   spaces\t", "many spaces"),
    ("Zoë Æsir", "zoe aesir"),
])
def test_fold_ignores_case_accents_and_punctuation(typed, folded):
    assert fold(typed) == folded


def test_search_key_joins_every_name_and_skips_missing_ones():
    assert search_key("José", None, "Muñoz-García", "Pepe") == "jose munoz garcia pepe"


def test_search_terms_fold_the_query_like_the_names():
    assert search_terms("  GARCÍA jo ") == ["garcia", "jo"]
    assert search_terms("%_") == []  # nothing a LIKE pattern could misread survives
