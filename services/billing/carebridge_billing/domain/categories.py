"""How a patient reads the billing categories, the kinds of visit a plan sets
copays for. The categories themselves are the kit's
(`carebridge.vocabulary.appointment_types.BILLING_CATEGORIES`): every service
code belongs to one (fee schedule), and an appointment type may place a
shared code in another (a cardiology follow-up is a specialist visit even
though it bills 99214 like a primary-care follow-up)."""
from __future__ import annotations

# How a patient names one visit of the category, and several of them.
_ONE = {"primary-care": "visit", "specialist": "visit", "therapy": "session",
        "telehealth": "visit", "imaging": "test"}
_MANY = {"primary-care": "primary care visits", "specialist": "specialist visits",
         "therapy": "therapy sessions", "telehealth": "telehealth visits", "imaging": "imaging tests"}


def one_visit(category: str) -> str:
    return _ONE[category]


def visits_of(category: str) -> str:
    return _MANY[category]
