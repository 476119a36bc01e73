"""Access rules this service's views share."""
from __future__ import annotations

from contextlib import contextmanager

from flask import current_app

from carebridge import access, audit
from carebridge.web import current_principal, deny, patient_access, request_session
from carebridge.web.session import discard_request_transaction

from ..service_layer.actors import OVERRIDING_ROLES, Actor
from ..service_layer.errors import MedicationSafetyBlocked
from ..service_layer.medication_review import keep_blocked

# Who works on plans, tasks, doses and check-ins (clinical staff; care-team
# scoped ones only for their own patients).
CLINICAL = ("coordinator", "nurse", "physician", "specialist")
# Who may read them: clinical staff, administrators and other services.
READERS = CLINICAL + ("admin", "service")


def actor() -> Actor:
    return Actor.of(current_principal())


def audit_search(resource_type: str, patient_id=None) -> None:
    """One audit record for a list: the patient's (and an access check) when
    the list is about one patient, else one `search` record."""
    if patient_id is not None:
        patient_access(patient_id, action="search", resource_type=resource_type)
    else:
        audit.record(request_session(), action="search", resource_type=resource_type,
                     principal=current_principal())


def only_visible_patients(statement, patient_column):
    visible = access.patients_visible_to(current_principal())
    return statement if visible is None else statement.where(patient_column.in_(visible))


def refuse_override_unless_allowed(data: dict, *, patient_id, resource_id=None) -> None:
    """Only a physician or nurse may accept a contraindicated or major
    medication finding; anyone else sending an override is refused (and the
    refusal audited)."""
    if data.get("medication_override") and not current_principal().has_any(*OVERRIDING_ROLES):
        deny(action="update", resource_type="medication-override", resource_id=resource_id, patient_id=patient_id)


@contextmanager
def keeping_refused_findings():
    """A change the medication safety check refuses rolls back; its findings
    are then kept and published on their own."""
    try:
        yield
    except MedicationSafetyBlocked as refusal:
        discard_request_transaction()
        keep_blocked(current_app.extensions["carebridge"].db, refusal, actor())
        raise
