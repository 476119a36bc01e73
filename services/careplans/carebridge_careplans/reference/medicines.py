"""The drug catalogue and interaction table (drugs.json, interactions.json),
loaded and checked once. Everything is keyed by RxNorm ingredient codes;
multiple-ingredient products (sacubitril/valsartan) resolve to their
ingredients, so a check never misses what a combination contains.

The catalogue's drug classes are exactly the kit's shared list
(carebridge.vocabulary.drug_classes), the codes a drug-class allergy may name:
a class the catalogue lacks, or one without a member ingredient, would let an
allergy to it match no medication and silently switch the check off, so
either stops the load."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import product

from carebridge.vocabulary.drug_classes import DRUG_CLASSES

SEVERITIES = ("contraindicated", "major", "moderate", "minor")


@dataclass(frozen=True)
class Ingredient:
    code: str
    name: str
    classes: frozenset[str]


@dataclass(frozen=True)
class DrugClass:
    code: str
    name: str
    duplicate_severity: str | None
    duplicate_text: str | None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Interaction:
    id: str
    left: frozenset[str]
    right: frozenset[str]
    severity: str
    mechanism: str
    management: str
    sources: tuple[str, ...]

    def pairs(self):
        return ((a, b) for a, b in product(self.left, self.right))


class MedicationKnowledge:
    def __init__(self, drugs: dict, interactions: dict):
        # a class is named as the kit names it; the catalogue adds its rules and sources
        self.classes = {code: DrugClass(code, DRUG_CLASSES.get(code, code),
                                        (entry.get("duplicate_therapy") or {}).get("severity"),
                                        (entry.get("duplicate_therapy") or {}).get("text"),
                                        tuple(entry.get("sources", ())))
                        for code, entry in drugs["classes"].items()}
        self.ingredients = {code: Ingredient(code, entry["name"], frozenset(entry["classes"]))
                            for code, entry in drugs["ingredients"].items()}
        self.combinations = {code: (entry["name"], frozenset(entry["ingredients"]))
                             for code, entry in drugs["combinations"].items()}
        self.sources = {**drugs["sources"], **interactions["sources"]}
        self.interactions = [Interaction(entry["id"], frozenset(entry["drugs"][0]), frozenset(entry["drugs"][1]),
                                         entry["severity"], entry["mechanism"], entry["management"],
                                         tuple(entry["sources"]))
                             for entry in interactions["interactions"]]
        self.version = interactions["version"]
        self._check()
        self._by_pair: dict[frozenset, list[Interaction]] = {}
        for interaction in self.interactions:
            for a, b in interaction.pairs():
                self._by_pair.setdefault(frozenset((a, b)), []).append(interaction)

    def _check(self) -> None:
        problems = []
        for ingredient in self.ingredients.values():
            problems += [f"{ingredient.code}: unknown class {c}" for c in ingredient.classes - self.classes.keys()]
        for code, (_name, parts) in self.combinations.items():
            problems += [f"combination {code}: unknown ingredient {p}" for p in parts - self.ingredients.keys()]
        ids = [i.id for i in self.interactions]
        problems += [f"interaction {i} is listed twice" for i in set(ids) if ids.count(i) > 1]
        for interaction in self.interactions:
            unknown = (interaction.left | interaction.right) - self.ingredients.keys()
            problems += [f"interaction {interaction.id}: unknown ingredient {c}" for c in sorted(unknown)]
            if interaction.severity not in SEVERITIES:
                problems.append(f"interaction {interaction.id}: unknown severity {interaction.severity}")
            if not interaction.sources or set(interaction.sources) - self.sources.keys():
                problems.append(f"interaction {interaction.id}: every source must be named in 'sources'")
        for drug_class in self.classes.values():
            if drug_class.duplicate_severity not in (None, *SEVERITIES):
                problems.append(f"class {drug_class.code}: unknown severity {drug_class.duplicate_severity}")
            if set(drug_class.sources) - self.sources.keys():
                problems.append(f"class {drug_class.code}: every source must be named in 'sources'")
        problems += [f"class {code} is not a shared drug class (carebridge.vocabulary.drug_classes)"
                     for code in sorted(self.classes.keys() - DRUG_CLASSES.keys())]
        members = {code for ingredient in self.ingredients.values() for code in ingredient.classes}
        problems += [f"shared drug class {code} has no member ingredient: an allergy to it would match nothing"
                     for code in sorted(DRUG_CLASSES.keys() - members)]
        if problems:
            raise ValueError("medication reference data is inconsistent: " + "; ".join(problems))

    def ingredients_of(self, rxnorm_code: str | None) -> frozenset[str]:
        """The ingredient codes a code stands for; empty when the code is not
        in the catalogue (the medication cannot be checked)."""
        if rxnorm_code in self.ingredients:
            return frozenset((rxnorm_code,))
        if rxnorm_code in self.combinations:
            return self.combinations[rxnorm_code][1]
        return frozenset()

    def name_of(self, code: str) -> str:
        if code in self.ingredients:
            return self.ingredients[code].name
        if code in self.combinations:
            return self.combinations[code][0]
        return self.classes[code].name if code in self.classes else code

    def interactions_between(self, a: str, b: str) -> list[Interaction]:
        return self._by_pair.get(frozenset((a, b)), [])

    def classes_of(self, ingredient: str) -> frozenset[str]:
        found = self.ingredients.get(ingredient)
        return found.classes if found else frozenset()


def _load(name: str) -> dict:
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def medication_knowledge() -> MedicationKnowledge:
    return MedicationKnowledge(_load("drugs.json"), _load("interactions.json"))
