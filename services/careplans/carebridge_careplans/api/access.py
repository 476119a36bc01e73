"""Access rules this service's views share."""
from __future__ import annotations

from contextlib import contextmanager

from carebridge.web import current_principal, current_runtime, deny
from carebridge.web.session import discard_request_transaction

from ..service_layer.actors import OVERRIDING_ROLES, Actor
from ..service_layer.errors import MedicationSafetyBlocked
from ..service_layer.medication_review import keep_blocked


def actor() -> Actor:
    return Actor.of(current_principal())


def refuse_override_unless_allowed(data: dict, *, patient_id, resource_id=None) -> None:
    """Only a physician or nurse may accept a contraindicated or major
    medication finding; anyone else sending an override is refused (and the
    refusal audited)."""
    if data.get("medication_override") and not current_principal().has_any(*OVERRIDING_ROLES):
        deny(action="update", resource_type="medication-override", resource_id=resource_id, patient_id=patient_id,
             detail="Only a physician or nurse may override a medication safety finding. Send the change without "
                    "medication_override, or ask a physician or nurse on the care team to make it.")


@contextmanager
def keeping_refused_findings():
    """A change the medication safety check refuses rolls back; its findings
    are then kept and published on their own."""
    try:
        yield
    except MedicationSafetyBlocked as refusal:
        discard_request_transaction()
        keep_blocked(current_runtime().db, refusal, actor())
        raise
