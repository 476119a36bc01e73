"""Rules for recording allergies and intolerances."""
from __future__ import annotations

import re

from carebridge.vocabulary.drug_classes import DRUG_CLASSES

# The longest code of any system ("other" codes; the others are shorter).
SUBSTANCE_CODE_MAX = 64
_CODE_FORMS = {
    "rxnorm": (re.compile(r"^\d{1,10}$"), "An RxNorm code is digits only, for example 7980."),
    "snomed": (re.compile(r"^\d{6,18}$"), "A SNOMED CT code is 6 to 18 digits."),
    "unii": (re.compile(r"^[A-Z0-9]{10}$"), "A UNII is 10 letters and digits."),
    "other": (re.compile(r"^\S.{0,63}$"), "A code of 1 to 64 characters."),
}
# Drugs can only cause medication allergies; naming them under food or
# environment would hide them from the medication safety check.
_MEDICATION_SYSTEMS = {"rxnorm", "drug-class"}
# Records that no longer say anything about the patient: they neither block a
# new record of the same substance nor count in safety checks.
DISCARDED_VERIFICATION = {"refuted", "entered-in-error"}


def normalise_substance_code(system: str, code: str) -> str:
    code = code.strip()
    if system == "drug-class":
        code = code.lower()
        if code not in DRUG_CLASSES:
            raise ValueError("Unknown drug class; use one of " + ", ".join(sorted(DRUG_CLASSES)) + ".")
        return code
    if system == "unii":
        code = code.upper()
    pattern, message = _CODE_FORMS[system]
    if not pattern.match(code):
        raise ValueError(message)
    return code


def check_category(system: str, category: str) -> None:
    if system in _MEDICATION_SYSTEMS and category != "medication":
        raise ValueError(f"A {system} substance is a medication; use category medication.")


def is_discarded(verification_status: str) -> bool:
    return verification_status in DISCARDED_VERIFICATION
