"""The medication safety check: a medication being added or changed against
the patient's other current medications (drug-drug interactions, duplicate
therapy in one class) and active allergies.

Plain rules over plain values; the service layer gathers the medications and
allergies and decides what to do with the findings (a contraindicated or
major finding blocks the change unless a physician or nurse overrides it).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

SEVERITY_RANK = {"contraindicated": 4, "major": 3, "moderate": 2, "minor": 1}
BLOCKING_SEVERITIES = frozenset({"contraindicated", "major"})
# Allergy records that no longer say anything about the patient.
DISCARDED_ALLERGY_VERIFICATION = frozenset({"refuted", "entered-in-error"})


@dataclass(frozen=True)
class Medication:
    activity_id: uuid.UUID
    ingredients: frozenset[str]


@dataclass(frozen=True)
class Allergy:
    allergy_id: uuid.UUID
    system: str            # "rxnorm" or "drug-class" (others cannot name a drug)
    code: str
    criticality: str | None
    clinical_status: str = "active"
    verification_status: str = "confirmed"

    @property
    def in_force(self) -> bool:
        return self.clinical_status == "active" and self.verification_status not in DISCARDED_ALLERGY_VERIFICATION


@dataclass(frozen=True)
class Finding:
    kind: str                       # drug-interaction, duplicate-therapy, allergy
    severity: str
    activity_id: uuid.UUID
    rxnorm_codes: tuple[str, ...]
    text: str
    references: tuple[str, ...] = ()
    interacting_activity_id: uuid.UUID | None = None
    allergy_id: uuid.UUID | None = None
    # The medicines in words, as prescribed ("lisinopril with sacubitril/valsartan").
    medicines: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity in BLOCKING_SEVERITIES


@dataclass
class _PairReport:
    """Everything found between two medications, reported as one finding per
    kind at its worst severity (sacubitril/valsartan with lisinopril is one
    contraindicated interaction, not two alerts)."""
    severities: list[str] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    def add(self, severity: str, codes, text: str, reference: str) -> None:
        self.severities.append(severity)
        self.codes.update(codes)
        if text not in self.texts:
            self.texts.append(text)
        if reference not in self.references:
            self.references.append(reference)


def _pair_findings(knowledge, candidate: Medication, other: Medication) -> list[Finding]:
    interaction, duplicate = _PairReport(), _PairReport()
    for a in sorted(candidate.ingredients):
        for b in sorted(other.ingredients):
            if a == b:
                duplicate.add("major", (a,), f"Both contain {knowledge.name_of(a)}: the same drug is ordered twice.",
                              f"same-ingredient:{a}")
                continue
            found = knowledge.interactions_between(a, b)
            for entry in found:
                interaction.add(entry.severity, (a, b), f"{entry.mechanism} {entry.management}", entry.id)
            if found:
                continue  # a named interaction says more than a shared class
            for class_code in sorted(knowledge.classes_of(a) & knowledge.classes_of(b)):
                drug_class = knowledge.classes[class_code]
                if drug_class.duplicate_severity:
                    duplicate.add(drug_class.duplicate_severity, (a, b), drug_class.duplicate_text, class_code)
    findings = []
    for kind, report in (("drug-interaction", interaction), ("duplicate-therapy", duplicate)):
        if report.severities:
            findings.append(Finding(
                kind=kind, severity=max(report.severities, key=SEVERITY_RANK.__getitem__),
                activity_id=candidate.activity_id, rxnorm_codes=tuple(sorted(report.codes)),
                text=" ".join(report.texts), references=tuple(report.references),
                interacting_activity_id=other.activity_id))
    return findings


def _allergy_findings(knowledge, candidate: Medication, allergies: list[Allergy]) -> list[Finding]:
    findings = []
    for allergy in allergies:
        if not allergy.in_force:
            continue
        if allergy.system == "rxnorm":
            matched = candidate.ingredients & (knowledge.ingredients_of(allergy.code) or {allergy.code})
            why = "the patient is allergic to {}"
        elif allergy.system == "drug-class":
            matched = {c for c in candidate.ingredients if allergy.code in knowledge.classes_of(c)}
            why = "the patient is allergic to {} (" + knowledge.name_of(allergy.code) + ")"
        else:
            continue
        if matched:
            names = ", ".join(knowledge.name_of(c) for c in sorted(matched))
            findings.append(Finding(
                kind="allergy", severity="contraindicated" if allergy.criticality == "high" else "major",
                activity_id=candidate.activity_id, rxnorm_codes=tuple(sorted(matched)),
                text=f"Allergy: {why.format(names)}. Choose a drug outside this group or confirm the allergy "
                     f"history before giving it.",
                references=(f"allergy:{allergy.code}",), allergy_id=allergy.allergy_id))
    return findings


def check(knowledge, candidates: list[Medication], current: list[Medication],
          allergies: list[Allergy]) -> list[Finding]:
    """Findings for every candidate against the current medications (which
    must not include the candidates) and against the candidates before it,
    so each pair is reported once."""
    findings: list[Finding] = []
    for index, candidate in enumerate(candidates):
        for other in [*current, *candidates[:index]]:
            findings += _pair_findings(knowledge, candidate, other)
        findings += _allergy_findings(knowledge, candidate, allergies)
    return findings


# A medication the reference table does not know (or knows only in part) is
# saved, never silently: it carries this finding, which says it was not checked.
NOT_CHECKED = "not-checked"


def unchecked(knowledge, candidate: Medication, name: str, rxnorm_code: str | None = None) -> Finding | None:
    """The finding for a medication that could not be checked for
    interactions, duplicates and allergies, if it could not."""
    unknown = sorted(code for code in candidate.ingredients if code not in knowledge.ingredients)
    if candidate.ingredients and not unknown:
        return None
    codes = unknown or ([rxnorm_code] if rxnorm_code else [])
    what = f"{name} ({', '.join(codes)})" if codes else name
    return Finding(
        kind=NOT_CHECKED, severity="minor", activity_id=candidate.activity_id, rxnorm_codes=tuple(codes),
        medicines=name,
        text=f"Not checked for interactions: {what} is not in the medication reference table, so interactions, "
             f"duplicate therapy and allergies were not checked. Check it by hand with a pharmacist.",
        references=("reference-table:unknown",))


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
