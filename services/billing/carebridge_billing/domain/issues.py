"""The billing-issue lifecycle: billing staff work an issue to resolution.

    open --> in-progress <--> waiting-on-payer
      \\          |                 |
       '------> resolved <---------'  --> closed
                  '--(reopened)--> in-progress
"""
from __future__ import annotations

from carebridge.events.catalogue.billing import ISSUE_CATEGORIES, ISSUE_RESOLUTIONS

from .lifecycle import Lifecycle

ISSUE_LIFECYCLE = Lifecycle.of({
    "open": ("in-progress", "waiting-on-payer", "resolved"),
    "in-progress": ("waiting-on-payer", "resolved"),
    "waiting-on-payer": ("in-progress", "resolved"),
    "resolved": ("closed", "in-progress"),
    "closed": (),
})
ISSUE_STATUSES = ISSUE_LIFECYCLE.statuses
# Who raised it: the patient or family (by phone, at the desk), staff, or a payer letter.
ISSUE_SOURCES = ("patient", "family", "staff", "payer")

__all__ = ["ISSUE_LIFECYCLE", "ISSUE_STATUSES", "ISSUE_CATEGORIES", "ISSUE_RESOLUTIONS", "ISSUE_SOURCES"]
