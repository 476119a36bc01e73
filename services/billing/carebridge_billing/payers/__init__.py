"""Talking to payers: one interface (`PayerAdapter`), a built-in simulated
payer for development and tests, and the adapters to choose from
(`registry.ADAPTERS`)."""
from .interface import (ClaimDecision, ClaimLine, ClaimRequest, EligibilityAnswer, Member, PayerAdapter,
                        PayerUnavailable, PriorAuthDecision, PriorAuthRequest, SubmittedClaim,
                        SubmittedPriorAuth)

__all__ = ["ClaimDecision", "ClaimLine", "ClaimRequest", "EligibilityAnswer", "Member", "PayerAdapter",
           "PayerUnavailable", "PriorAuthDecision", "PriorAuthRequest", "SubmittedClaim", "SubmittedPriorAuth"]
