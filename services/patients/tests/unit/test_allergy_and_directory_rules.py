import pytest

from carebridge.vocabulary.drug_classes import DRUG_CLASSES
from carebridge_patients.domain.allergies import check_category, is_discarded, normalise_substance_code
from carebridge_patients.domain.practitioners import check_npi, check_specialty


@pytest.mark.parametrize("system, typed, code", [
    ("rxnorm", " 7980 ", "7980"),
    ("drug-class", "CLASS:Penicillins", "class:penicillins"),
    ("drug-class", "class:ARBs", "class:arbs"),
    ("unii", "q42t66vg0c", "Q42T66VG0C"),
    ("snomed", "91936005", "91936005"),
    ("other", "peanut-oil", "peanut-oil"),
])
def test_substance_codes_are_normalised(system, typed, code):
    assert normalise_substance_code(system, typed) == code


@pytest.mark.parametrize("system, typed", [
    ("rxnorm", "penicillin"), ("rxnorm", "79-80"), ("drug-class", "class:penicilins"), ("drug-class", "penicillins"),
    ("drug-class", "class:iodinated-contrast"),
    ("snomed", "123"), ("unii", "SHORT"),
])
def test_malformed_or_unknown_substance_codes_are_refused(system, typed):
    with pytest.raises(ValueError):
        normalise_substance_code(system, typed)


def test_every_shared_drug_class_is_accepted():
    # the kit's list is the contract with care plans, which can check each of these classes
    for code in DRUG_CLASSES:
        assert normalise_substance_code("drug-class", code.upper()) == code


def test_drugs_are_medication_allergies():
    check_category("rxnorm", "medication")
    check_category("snomed", "food")
    for system in ("rxnorm", "drug-class"):
        with pytest.raises(ValueError):
            check_category(system, "food")


def test_refuted_and_mistaken_records_are_discarded():
    assert is_discarded("refuted") and is_discarded("entered-in-error")
    assert not is_discarded("confirmed") and not is_discarded("unconfirmed")


def test_npi_check_digit():
    assert check_npi("1234567893") == "1234567893"
    for wrong in ("1234567890", "123456789", "12345678931", "abcdefghij"):
        with pytest.raises(ValueError):
            check_npi(wrong)


def test_specialists_need_a_specialty():
    check_specialty("specialist", "cardiology")
    check_specialty("nurse", None)
    with pytest.raises(ValueError):
        check_specialty("specialist", None)
