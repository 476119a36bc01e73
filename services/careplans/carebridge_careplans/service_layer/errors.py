"""Errors of this service's rules, on top of the kit's."""
from __future__ import annotations

import uuid

from carebridge.errors import ConflictError


class MedicationSafetyBlocked(ConflictError):
    """A contraindicated or major finding refused the change; it names every
    finding so the prescriber can change the order or override it."""
    title = "Medication safety check refused the change"
    type_slug = "medication-safety"

    def __init__(self, findings: list, *, plan_id: uuid.UUID, patient_id: uuid.UUID, plan_version: int | None,
                 plan_exists: bool, prescribers: dict):
        self.findings = findings
        self.plan_id = plan_id
        self.patient_id = patient_id
        self.plan_version = plan_version
        self.plan_exists = plan_exists
        self.prescribers = prescribers
        refused = [f"{f.medicines} ({f.severity} {f.kind.replace('-', ' ')})" for f in findings
                   if f.blocking and f.medicines]
        what = "; ".join(refused) if refused else "a medication with contraindicated or major safety findings"
        super().__init__(
            f"The change adds {what}. Change the order, or have a physician or nurse on the care team resend it "
            f"with medication_override.reason.",
            findings=[finding_json(f) for f in findings])


def finding_json(finding) -> dict:
    return {
        "kind": finding.kind, "severity": finding.severity, "blocking": finding.blocking,
        "activity_id": str(finding.activity_id), "rxnorm_codes": list(finding.rxnorm_codes),
        "interacting_activity_id": str(finding.interacting_activity_id) if finding.interacting_activity_id else None,
        "allergy_id": str(finding.allergy_id) if finding.allergy_id else None,
        "references": list(finding.references), "text": finding.text, "medicines": finding.medicines,
    }
