"""Why an insurance said no to a claim, as a patient can read it.

Payers give X12 claim adjustment reason codes (CARC). A letter names one
plain reason, from the first code it knows, and says what happens next:
a reason about the patient's insurance itself (not insured that day,
another plan pays first) asks them to tell us about their insurance. The
words for each reason are the `claim_reason` labels of
`templates/<language>.json`.
"""
from __future__ import annotations

from collections.abc import Iterable

# Reason group -> the CARC codes it covers.
_GROUPS = {
    "no-approval": ("15", "39", "197", "198", "243"),
    "not-needed": ("50", "151"),
    "experimental": ("55",),
    "not-covered": ("96", "167", "170", "204", "242"),
    "limit-reached": ("119",),
    "not-insured": ("31",),
    "coverage-ended": ("26", "27"),
    "other-payer": ("22", "23", "109"),
    "billing-error": ("4", "5", "6", "11", "16", "97", "181", "226", "252"),
    "duplicate": ("18",),
    "late": ("29",),
}
REASON_OF = {code: group for group, codes in _GROUPS.items() for code in codes}
OTHER = "other"
# Reasons only the patient can help with: what insurance they have.
ABOUT_THE_INSURANCE = ("not-insured", "coverage-ended", "other-payer")
REASONS = (*_GROUPS, OTHER)


def claim_reason(codes: Iterable[str] | None) -> str:
    """The plain reason group of the first code known, else `other`."""
    for code in codes or ():
        if str(code) in REASON_OF:
            return REASON_OF[str(code)]
    return OTHER
