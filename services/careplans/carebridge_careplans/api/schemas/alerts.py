"""Medication safety alerts."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.events.catalogue.careplans import ALERT_KINDS, ALERT_OUTCOMES, ALERT_SEVERITIES
from carebridge.web import PageArgs

from ...domain.medication_safety import NOT_CHECKED

# The kinds of finding the API shows: the published ones, and a medication
# the reference table does not know (kept, shown, not announced as an event).
FINDING_KINDS = (*ALERT_KINDS, NOT_CHECKED)


class MedicationAlertSchema(ma.Schema):
    id = fields.UUID()
    plan_id = fields.UUID()
    patient_id = fields.UUID()
    plan_version = fields.Integer()
    activity_id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(FINDING_KINDS), metadata={
        "description": "not-checked: the medication is not in the reference table, so nothing was checked"})
    severity = fields.String(validate=validate.OneOf(ALERT_SEVERITIES))
    rxnorm_codes = fields.List(fields.String())
    references = fields.List(fields.String(), metadata={"description": "interaction ids, classes or allergy codes"})
    text = fields.String()
    interacting_activity_id = fields.UUID(allow_none=True)
    allergy_id = fields.UUID(allow_none=True)
    outcome = fields.String(validate=validate.OneOf(ALERT_OUTCOMES), metadata={
        "description": "accepted (moderate/minor), overridden, blocked (the change was refused) or detected (an "
                       "allergy recorded later)"})
    override_reason = fields.String(allow_none=True)
    overridden_by = fields.UUID(allow_none=True)
    prescriber_id = fields.UUID(allow_none=True)
    detected_at = fields.AwareDateTime()
    detected_by = fields.String()


class AlertListArgs(PageArgs):
    patient_id = fields.UUID()
    plan_id = fields.UUID()
    kind = fields.List(fields.String(validate=validate.OneOf(FINDING_KINDS)))
    severity = fields.List(fields.String(validate=validate.OneOf(ALERT_SEVERITIES)))
    outcome = fields.List(fields.String(validate=validate.OneOf(ALERT_OUTCOMES)))

