"""The claim lifecycle.

    draft --submit--> submitted --> accepted --> paid
      |                  |             '------> denied --appeal--> appealed --> paid | denied
      '--(payer down)--> submission-failed --retry--> submitted (or appealed, for an appeal)

A claim whose submission the payer did not take stays visible as
`submission-failed`, with its attempts and the time of the next retry; it is
never lost. Paid and denied-without-appeal claims are settled.
"""
from __future__ import annotations

from .lifecycle import Lifecycle

CLAIM_LIFECYCLE = Lifecycle.of({
    "draft": ("submitted", "submission-failed"),
    "submission-failed": ("submitted", "appealed", "submission-failed"),
    "submitted": ("accepted", "paid", "denied"),
    "accepted": ("paid", "denied"),
    "denied": ("appealed", "submission-failed"),
    # An appeal stays "appealed" while the payer reviews it.
    "appealed": ("paid", "denied"),
    "paid": (),
})
CLAIM_STATUSES = CLAIM_LIFECYCLE.statuses
# Waiting for us to send it (or send it again).
AWAITING_SUBMISSION = ("draft", "submission-failed")
# With the payer; we ask for news now and then.
WITH_PAYER = ("submitted", "accepted", "appealed")
SUBMISSION_KINDS = ("original", "appeal")
