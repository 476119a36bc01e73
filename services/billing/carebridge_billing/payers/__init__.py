"""Talking to payers: one interface (`PayerAdapter`), a built-in simulated
payer for development and tests, and the choice of adapter per runtime."""
from .interface import (ClaimDecision, ClaimLine, ClaimRequest, EligibilityAnswer, Member, PayerAdapter,
                        PayerUnavailable, PriorAuthDecision, PriorAuthRequest, SubmittedClaim,
                        SubmittedPriorAuth)
from .registry import adapter_for, use_adapter

__all__ = ["ClaimDecision", "ClaimLine", "ClaimRequest", "EligibilityAnswer", "Member", "PayerAdapter",
           "PayerUnavailable", "PriorAuthDecision", "PriorAuthRequest", "SubmittedClaim", "SubmittedPriorAuth",
           "adapter_for", "use_adapter"]
