"""The shipped reference data: interaction table with sources, drug
catalogue, templates."""
import json
from datetime import date
from importlib import resources

import pytest

from support import IBUPROFEN, NAPROXEN, WARFARIN
from carebridge.vocabulary.drug_classes import DRUG_CLASSES
from carebridge_careplans.api.schemas.plans import PlanCreateSchema
from carebridge_careplans.reference.medicines import MedicationKnowledge, medication_knowledge
from carebridge_careplans.reference.plan_templates import plan_templates

# RxNorm ingredient codes the team agreed on (the lead's list), checked against the catalogue.
AGREED_CODES = {
    "warfarin": "11289", "ibuprofen": "5640", "naproxen": "7258", "aspirin": "1191", "lisinopril": "29046",
    "enalapril": "3827", "sacubitril": "1656328", "valsartan": "69749", "spironolactone": "9997",
    "potassium chloride": "8591", "metoprolol": "6918", "carvedilol": "20352", "furosemide": "4603",
    "digoxin": "3407", "amiodarone": "703", "simvastatin": "36567", "atorvastatin": "83367",
    "clarithromycin": "21212", "sildenafil": "136411", "nitroglycerin": "4917", "metformin": "6809",
    "empagliflozin": "1545653", "fluoxetine": "4493", "sertraline": "36437", "tramadol": "10689",
    "linezolid": "190376", "ciprofloxacin": "2551", "tizanidine": "57258", "methotrexate": "6851",
    "trimethoprim": "10829", "clopidogrel": "32968", "omeprazole": "7646", "allopurinol": "519",
    "azathioprine": "1256", "lithium": "6448", "hydrochlorothiazide": "5487", "apixaban": "1364430",
    "rivaroxaban": "1114195",
}

# Members added for the drug classes care plans did not know yet, each RxNorm
# ingredient code confirmed against the source its class names in drugs.json.
CONFIRMED_CLASS_MEMBERS = {
    "class:cephalosporins": {"cephalexin": "2231", "cefazolin": "2180", "ceftriaxone": "2193", "cefuroxime": "2194"},
    "class:carbapenems": {"meropenem": "29561", "imipenem": "5690"},
    "class:tetracyclines": {"doxycycline": "3640"},
    "class:aminoglycosides": {"gentamicin": "1596450", "amikacin": "641", "streptomycin": "10109"},
    "class:benzodiazepines": {"diazepam": "3322", "midazolam": "6960", "oxazepam": "7781"},
}


def raw(name):
    path = resources.files("carebridge_careplans.reference").joinpath(name)
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_catalogue_names_each_agreed_ingredient_by_its_code():
    knowledge = medication_knowledge()
    assert {name: knowledge.ingredients[code].name for name, code in AGREED_CODES.items()} == \
        {name: name for name in AGREED_CODES}


def test_sacubitril_valsartan_resolves_to_both_ingredients():
    assert medication_knowledge().ingredients_of("1656339") == {"1656328", "69749"}


def test_warfarin_with_an_nsaid_is_a_major_interaction():
    knowledge = medication_knowledge()
    for nsaid in (IBUPROFEN, NAPROXEN):
        [entry] = knowledge.interactions_between(WARFARIN, nsaid)
        assert entry.severity == "major" and "bleeding" in entry.mechanism


def test_every_interaction_names_its_sources_and_every_severity_is_used():
    knowledge = medication_knowledge()
    for interaction in knowledge.interactions:
        assert interaction.sources and all(knowledge.sources[s] for s in interaction.sources)
        assert interaction.mechanism and interaction.management
    assert {i.severity for i in knowledge.interactions} == {"contraindicated", "major", "moderate", "minor"}


def test_the_catalogue_knows_exactly_the_shared_drug_classes():
    # the codes the patients service accepts for a drug-class allergy
    knowledge = medication_knowledge()
    assert knowledge.classes.keys() == DRUG_CLASSES.keys()
    # named as the kit names them, so an allergy reads the same in every service
    assert {code: knowledge.name_of(code) for code in DRUG_CLASSES} == DRUG_CLASSES


@pytest.mark.parametrize("class_code", sorted(DRUG_CLASSES))
def test_every_shared_drug_class_has_a_member_an_allergy_can_match(class_code):
    knowledge = medication_knowledge()
    assert [c for c, ingredient in knowledge.ingredients.items() if class_code in ingredient.classes]


@pytest.mark.parametrize("class_code", sorted(CONFIRMED_CLASS_MEMBERS))
def test_the_added_classes_name_their_members_by_code_with_sources(class_code):
    knowledge = medication_knowledge()
    members = CONFIRMED_CLASS_MEMBERS[class_code]
    assert {name: knowledge.ingredients[code].name for name, code in members.items()} == {n: n for n in members}
    assert all(class_code in knowledge.ingredients[code].classes for code in members.values())
    drug_class = knowledge.classes[class_code]
    assert drug_class.sources and all(knowledge.sources[s] for s in drug_class.sources)
    assert drug_class.duplicate_severity and drug_class.duplicate_text


@pytest.mark.parametrize("corrupt, message", [
    (lambda d, i: i["interactions"][0]["drugs"][0].append("99999999"), "unknown ingredient 99999999"),
    (lambda d, i: i["interactions"][0].update(severity="severe"), "unknown severity"),
    (lambda d, i: i["interactions"][0].update(sources=["a-rumour"]), "every source must be named"),
    (lambda d, i: d["ingredients"]["11289"]["classes"].append("class:unknown"), "unknown class"),
    (lambda d, i: i["interactions"].append(dict(i["interactions"][0])), "listed twice"),
    (lambda d, i: d["classes"].update({"class:iodinated-contrast": {}}),
     "class:iodinated-contrast is not a shared drug class"),
    (lambda d, i: [v["classes"].remove("class:carbapenems") for v in d["ingredients"].values()
                   if "class:carbapenems" in v["classes"]], "class:carbapenems has no member ingredient"),
    (lambda d, i: d["classes"].pop("class:tetracyclines"), "unknown class class:tetracyclines"),
    (lambda d, i: d["classes"]["class:cephalosporins"].update(sources=["a-rumour"]),
     "class class:cephalosporins: every source must be named"),
])
def test_inconsistent_reference_data_is_refused_on_load(corrupt, message):
    drugs, interactions = raw("drugs.json"), raw("interactions.json")
    corrupt(drugs, interactions)
    with pytest.raises(ValueError, match=message):
        MedicationKnowledge(drugs, interactions)


def test_the_promised_templates_ship():
    assert {"heart-failure-post-discharge", "type-2-diabetes-new-diagnosis",
            "hip-replacement-rehabilitation"} <= plan_templates().keys()


@pytest.mark.parametrize("code", sorted(plan_templates()))
def test_each_template_makes_a_valid_new_plan(code):
    plan_input = plan_templates()[code].plan_input(date(2026, 3, 2))
    body = {**plan_input, "patient_id": "6b1c5c49-9a1f-4a38-8d0e-6fb8c8a3c0f1"}
    loaded = PlanCreateSchema().load(json.loads(json.dumps(body, default=str)))
    assert loaded["activities"] and loaded["goals"] and loaded["warning_signs"]


def test_the_heart_failure_template_carries_guideline_therapy_and_timely_follow_up():
    template = plan_templates()["heart-failure-post-discharge"]
    plan_input = template.plan_input(date(2026, 3, 2))
    codes = {a["medication"]["rxnorm_code"] for a in plan_input["activities"] if a["kind"] == "medication"}
    assert codes == {"1656339", "6918", "9997", "1545653", "4603"}
    [cardiology] = [a for a in plan_input["activities"]
                    if a["kind"] == "follow-up" and a["follow_up"]["appointment_type_code"] == "cardiology-follow-up"]
    assert (cardiology["follow_up"]["window_start"], cardiology["follow_up"]["window_end"]) == \
        (date(2026, 3, 9), date(2026, 3, 16))
    assert {a["kind"] for a in plan_input["activities"]} == {"medication", "follow-up", "therapy", "diet",
                                                             "education", "check-in"}


def test_the_hip_template_books_physical_therapy_twice_a_week_for_six_weeks():
    plan_input = plan_templates()["hip-replacement-rehabilitation"].plan_input(date(2026, 3, 2))
    [therapy] = [a["therapy"] for a in plan_input["activities"] if a["kind"] == "therapy"]
    assert (therapy["appointment_type_code"], therapy["sessions_per_week"], therapy["duration_weeks"]) == \
        ("physical-therapy", 2, 6)


def test_leaving_out_activities_drops_them():
    template = plan_templates()["type-2-diabetes-new-diagnosis"]
    plan_input = template.plan_input(date(2026, 3, 2), frozenset({"atorvastatin"}))
    names = [a["medication"]["name"] for a in plan_input["activities"] if a["kind"] == "medication"]
    assert names == ["metformin"]
