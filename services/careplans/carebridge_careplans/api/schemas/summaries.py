"""The plain-language summary of a plan (see domain/plain_language.py)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate


class _Line(ma.Schema):
    notes = fields.String(allow_none=True)


class MedicineLineSchema(_Line):
    name = fields.String()
    what_for = fields.String(allow_none=True)
    how_much = fields.String(allow_none=True)
    how = fields.String()
    when = fields.String()
    for_how_long = fields.String(allow_none=True)


class StopTakingLineSchema(_Line):
    name = fields.String()


class VisitLineSchema(ma.Schema):
    what = fields.String()
    when = fields.String()
    booking = fields.String()


class DietLineSchema(_Line):
    what = fields.String()


class TherapyLineSchema(_Line):
    what = fields.String()
    how_often = fields.String()
    starting = fields.String(allow_none=True)
    sessions_done = fields.Integer()
    booking = fields.String()


class LearningLineSchema(ma.Schema):
    topic = fields.String()
    material = fields.String(allow_none=True)


class GoalLineSchema(ma.Schema):
    goal = fields.String()
    by_when = fields.String(allow_none=True)


class WatchForLineSchema(ma.Schema):
    sign = fields.String()
    what_to_do = fields.String()


class ContactLineSchema(ma.Schema):
    who = fields.String()
    phone = fields.String(allow_none=True)
    when = fields.String(allow_none=True)
    practitioner_id = fields.UUID(allow_none=True, metadata={
        "description": "the care team's lead coordinator, when listed from the team (the staff directory "
                       "has their name and phone)"})


class SummaryPeriodSchema(ma.Schema):
    start = fields.String()
    end = fields.String(allow_none=True)


class PlanSummarySchema(ma.Schema):
    plan_id = fields.UUID()
    language = fields.String(metadata={
        "description": "the language the summary is written in: the patient's preferred one (English or "
                       "Spanish), else English"})
    language_note = fields.String(allow_none=True, metadata={
        "description": "when the summary is not in the patient's language: a sentence saying so"})
    title = fields.String()
    plan_status = fields.String()
    period = fields.Nested(SummaryPeriodSchema)
    medicines = fields.List(fields.Nested(MedicineLineSchema))
    stop_taking = fields.List(fields.Nested(StopTakingLineSchema))
    visits = fields.List(fields.Nested(VisitLineSchema))
    diet = fields.List(fields.Nested(DietLineSchema))
    therapy = fields.List(fields.Nested(TherapyLineSchema))
    learning = fields.List(fields.Nested(LearningLineSchema))
    goals = fields.List(fields.Nested(GoalLineSchema))
    watch_for = fields.List(fields.Nested(WatchForLineSchema))
    whom_to_call = fields.List(fields.Nested(ContactLineSchema))
    emergency = fields.String()


class SummarySendingSchema(ma.Schema):
    include_family = fields.Boolean(load_default=True, metadata={
        "description": "also send it to each related person with the patient's consent to care-plan news"})


class SummarySentSchema(ma.Schema):
    sending_id = fields.UUID()
    plan_id = fields.UUID()
    patient_id = fields.UUID()
    version = fields.Integer(metadata={"description": "the plan version whose summary was sent"})
    include_family = fields.Boolean()
    sent_at = fields.DateTime()


class SummaryArgs(ma.Schema):
    language = fields.String(load_default=None, validate=validate.Length(min=2, max=35), metadata={
        "description": "BCP 47 tag of the reader's language (a relative's); the patient's when left out"})
