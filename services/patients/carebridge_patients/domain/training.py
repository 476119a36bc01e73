"""New staff onboarding: a practitioner in training has a mentor and a
checklist (shadowing, modules, sign-off items) to work through; the training
ends when every item is ticked and someone signs it off."""
from __future__ import annotations

IN_TRAINING = "in-training"
SIGNED_OFF = "signed-off"
TRAINING_STATUSES = (IN_TRAINING, SIGNED_OFF)
CHECKLIST_KINDS = ("shadowing", "module", "sign-off")

_COMMON = (
    ("privacy-module", "module", "Privacy, PHI and the audit trail"),
    ("carebridge-module", "module", "Working the worklist, care plans and notices in CareBridge"),
    ("mentor-sign-off", "sign-off", "Mentor confirms the new colleague works on their own"),
)
_BY_ROLE = {
    "coordinator": (
        ("shadow-intake", "shadowing", "Shadow a new patient's intake and care-team set-up"),
        ("shadow-outreach", "shadowing", "Shadow outreach after a missed visit"),
        ("scheduling-module", "module", "Booking, rescheduling and the waitlist"),
    ),
    "nurse": (
        ("shadow-check-ins", "shadowing", "Shadow post-visit and post-discharge check-ins"),
        ("medication-safety-module", "module", "Medication reconciliation and safety findings"),
    ),
    "billing": (
        ("shadow-claims", "shadowing", "Shadow claim submission and denials"),
        ("prior-auth-module", "module", "Prior authorizations and eligibility checks"),
    ),
}
_OTHER_ROLES = (("shadow-team", "shadowing", "Shadow a care-team member of the same role for a week"),)


def default_checklist(role: str) -> list[dict]:
    """The reference checklist a role starts with: the role's own items, then
    the items every new colleague works through, the sign-off last."""
    items = (*_BY_ROLE.get(role, _OTHER_ROLES), *_COMMON)
    return [{"code": code, "kind": kind, "title": title} for code, kind, title in items]


def check_checklist(items: list[dict]) -> None:
    codes = [item["code"] for item in items]
    if not items:
        raise ValueError("A checklist needs at least one item.")
    if len(set(codes)) != len(codes):
        raise ValueError("Each checklist item needs its own code.")
    if not any(item["kind"] == "sign-off" for item in items):
        raise ValueError("A checklist needs at least one sign-off item.")


def items_left(checklist: list[dict]) -> list[str]:
    return [item["code"] for item in checklist if item.get("done_at") is None]
