"""The medication safety rules, on the shipped drug catalogue and
interaction table."""
import uuid

import pytest

from support import (AMOXICILLIN, ASPIRIN, CARVEDILOL, CEFTRIAXONE, CEPHALEXIN, DIGOXIN, FUROSEMIDE, IBUPROFEN, LISINOPRIL, METFORMIN,
                               METOPROLOL, NAPROXEN, POTASSIUM_CHLORIDE, SACUBITRIL_VALSARTAN, SPIRONOLACTONE,
                               VALSARTAN, WARFARIN)
from carebridge.vocabulary.drug_classes import DRUG_CLASSES
from carebridge_careplans.domain.medication_safety import Allergy, Medication, blocking, check
from carebridge_careplans.reference.medicines import medication_knowledge

KNOWLEDGE = medication_knowledge()


def med(*codes):
    ingredients = set()
    for code in codes:
        ingredients |= KNOWLEDGE.ingredients_of(code)
    return Medication(uuid.uuid4(), frozenset(ingredients))


def findings_between(new, *current, allergies=()):
    return check(KNOWLEDGE, [new], list(current), list(allergies))


@pytest.mark.parametrize("first, second, severity, reference", [
    (LISINOPRIL, SACUBITRIL_VALSARTAN, "contraindicated", "ace-inhibitor+sacubitril"),
    ("136411", "4917", "contraindicated", "sildenafil+nitrates"),
    ("36567", "21212", "contraindicated", "simvastatin+clarithromycin"),
    ("57258", "2551", "contraindicated", "tizanidine+ciprofloxacin"),
    (WARFARIN, IBUPROFEN, "major", "warfarin+nsaids"),
    (NAPROXEN, WARFARIN, "major", "warfarin+nsaids"),
    (WARFARIN, ASPIRIN, "major", "warfarin+aspirin"),
    (POTASSIUM_CHLORIDE, SPIRONOLACTONE, "major", "potassium+potassium-sparing-diuretics"),
    ("6851", "10831", "major", "methotrexate+trimethoprim"),
    ("1256", "519", "major", "azathioprine+allopurinol"),
    ("6448", "5487", "major", "lithium+thiazides"),
    ("32968", "7646", "major", "clopidogrel+omeprazole"),
    (VALSARTAN, SPIRONOLACTONE, "moderate", "raas-inhibitor+spironolactone"),
    (DIGOXIN, FUROSEMIDE, "moderate", "digoxin+furosemide"),
    (CARVEDILOL, DIGOXIN, "moderate", "carvedilol+digoxin"),
    (METFORMIN, FUROSEMIDE, "minor", "metformin+furosemide"),
])
def test_real_pairs_are_found_at_their_severity_in_either_order(first, second, severity, reference):
    for new, current in ((first, second), (second, first)):
        [finding] = findings_between(med(new), med(current))
        assert (finding.kind, finding.severity) == ("drug-interaction", severity)
        assert finding.references[0] == reference
        assert finding.blocking == (severity in ("contraindicated", "major"))


def test_a_pair_reports_one_finding_at_its_worst_severity_naming_every_ingredient():
    current = med(SACUBITRIL_VALSARTAN)
    [finding] = findings_between(med(LISINOPRIL), current)
    assert finding.severity == "contraindicated"
    assert set(finding.references) == {"ace-inhibitor+sacubitril", "ace-inhibitor+arb"}
    assert finding.rxnorm_codes == ("1656328", LISINOPRIL, VALSARTAN)
    assert finding.interacting_activity_id == current.activity_id


def test_drugs_that_do_not_interact_have_no_finding():
    assert findings_between(med(METOPROLOL), med(FUROSEMIDE), med("1545653")) == []


def test_two_drugs_of_one_class_are_duplicate_therapy():
    [finding] = findings_between(med(CARVEDILOL), med(METOPROLOL))
    assert (finding.kind, finding.severity) == ("duplicate-therapy", "major")
    assert finding.references == ("class:beta-blockers",)


def test_duplicate_therapy_severity_comes_from_the_class():
    [finding] = findings_between(med("83367"), med("36567"))  # atorvastatin, simvastatin
    assert (finding.kind, finding.severity) == ("duplicate-therapy", "moderate")


def test_a_product_containing_a_drug_already_taken_is_a_duplicate():
    [finding] = findings_between(med(SACUBITRIL_VALSARTAN), med(VALSARTAN))
    assert (finding.kind, finding.severity) == ("duplicate-therapy", "major")
    assert "valsartan" in finding.text


def test_a_named_interaction_replaces_the_shared_class_finding():
    # aspirin and ibuprofen are both NSAIDs, but their named interaction says more
    [finding] = findings_between(med(ASPIRIN), med(IBUPROFEN))
    assert (finding.kind, finding.references) == ("drug-interaction", ("aspirin+ibuprofen-naproxen",))


def test_candidates_are_checked_against_each_other_once():
    findings = check(KNOWLEDGE, [med(WARFARIN), med(IBUPROFEN)], [], [])
    assert [(f.kind, f.severity) for f in findings] == [("drug-interaction", "major")]


def test_a_medication_the_catalogue_does_not_know_cannot_match_anything():
    assert findings_between(Medication(uuid.uuid4(), frozenset()), med(WARFARIN)) == []


def allergy(system, code, criticality="low", **extra):
    return Allergy(uuid.uuid4(), system, code, criticality, **extra)


def test_an_allergy_to_the_ingredient_conflicts():
    known = allergy("rxnorm", WARFARIN)
    [finding] = findings_between(med(WARFARIN), allergies=[known])
    assert (finding.kind, finding.severity, finding.allergy_id) == ("allergy", "major", known.allergy_id)


def test_an_allergy_to_a_drug_class_conflicts_with_its_members():
    [finding] = findings_between(med(AMOXICILLIN), allergies=[allergy("drug-class", "class:penicillins")])
    assert finding.kind == "allergy" and finding.rxnorm_codes == (AMOXICILLIN,)
    assert "Penicillins" in finding.text


def test_an_allergy_to_a_product_covers_its_ingredients():
    [finding] = findings_between(med(VALSARTAN), allergies=[allergy("rxnorm", SACUBITRIL_VALSARTAN)])
    assert finding.rxnorm_codes == (VALSARTAN,)


def test_a_high_criticality_allergy_is_contraindicated():
    [finding] = findings_between(med(AMOXICILLIN), allergies=[allergy("drug-class", "class:penicillins", "high")])
    assert finding.severity == "contraindicated" and blocking([finding]) == [finding]


@pytest.mark.parametrize("status", [{"clinical_status": "resolved"}, {"clinical_status": "inactive"},
                                    {"verification_status": "refuted"},
                                    {"verification_status": "entered-in-error"}])
def test_allergies_no_longer_in_force_are_ignored(status):
    assert findings_between(med(AMOXICILLIN), allergies=[allergy("rxnorm", AMOXICILLIN, **status)]) == []


def test_an_allergy_to_cephalosporins_blocks_a_cephalosporin_and_not_a_penicillin():
    cephalosporins = allergy("drug-class", "class:cephalosporins")
    [finding] = findings_between(med(CEPHALEXIN), allergies=[cephalosporins])
    assert (finding.kind, finding.rxnorm_codes, finding.allergy_id) == ("allergy", (CEPHALEXIN,),
                                                                         cephalosporins.allergy_id)
    assert finding.blocking and "Cephalosporins" in finding.text
    assert findings_between(med(AMOXICILLIN), allergies=[cephalosporins]) == []


@pytest.mark.parametrize("class_code", sorted(DRUG_CLASSES))
def test_an_allergy_to_each_shared_drug_class_conflicts_with_every_member(class_code):
    members = sorted(c for c, i in KNOWLEDGE.ingredients.items() if class_code in i.classes)
    assert members, f"{class_code} would never match a medication"
    for code in members:
        [finding] = findings_between(med(code), allergies=[allergy("drug-class", class_code)])
        assert finding.kind == "allergy" and finding.rxnorm_codes == (code,) and finding.blocking


def test_two_cephalosporins_are_duplicate_therapy():
    [finding] = findings_between(med(CEFTRIAXONE), med(CEPHALEXIN))
    assert (finding.kind, finding.severity, finding.references) == ("duplicate-therapy", "moderate",
                                                                     ("class:cephalosporins",))


def test_food_and_other_allergies_never_match_a_drug():
    assert findings_between(med(AMOXICILLIN), allergies=[allergy("snomed", AMOXICILLIN)]) == []
