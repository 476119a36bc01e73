"""/readings: vital signs from staff one at a time and from device gateways in batches."""
from __future__ import annotations

from functools import partial

from flask.views import MethodView
from sqlalchemy import select

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES, DEVICE_GATEWAY_ROLE
from carebridge.errors import ConflictError, RuleViolation
from carebridge.web import (Blueprint, current_runtime, dump, page_of, paged, patient_access, patient_scoped,
                            request_session, require_roles)

from ..persistence.models import Reading
from ..service_layer import readings
from .common import created
from .examples import BATCH, BATCH_RESULT, NEW_READING, READING
from .schemas import BatchIn, BatchResultSchema, ReadingListArgs, ReadingSchema, SingleReadingIn

_reading = ReadingSchema()


blp = Blueprint("readings", __name__, url_prefix="/readings",
                description="Readings in UCUM units, checked, deduplicated and evaluated against the rules")

RESOURCE = "monitoring-reading"


@blp.route("")
class Readings(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listReadings")
    @blp.arguments(ReadingListArgs, location="query")
    @blp.response(200, paged(ReadingSchema))
    def get(self, args):
        """List a patient's readings

        Newest first."""
        patient_access(args["patient_id"], action="search", resource_type=RESOURCE)
        statement = select(Reading).where(Reading.patient_id == args["patient_id"])
        if args.get("measure"):
            statement = statement.where(Reading.measure == args["measure"])
        return page_of(request_session(), statement.order_by(Reading.taken_at.desc(), Reading.id), args)

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @blp.doc(operationId="recordReading")
    @blp.arguments(SingleReadingIn, example=NEW_READING)
    @blp.response(201, ReadingSchema, example=READING)
    def post(self, data):
        """Record a reading

        Converted to the measure's canonical unit and evaluated at once
        (422 if implausible or the patient is not enrolled for the measure,
        409 if the same reading is already stored)."""
        session = request_session()
        outcome = readings.single(session, data, source="staff", check_patient=partial(
            patient_access, action="create", resource_type=RESOURCE))
        if outcome.status == "refused":
            if outcome.patient_id is None:  # nothing to check access against: still audited as such
                patient_access(data["patient_id"], action="create", resource_type=RESOURCE)
            raise RuleViolation("The reading was refused; see errors.", errors=outcome.errors)
        if outcome.status == "duplicate":
            raise ConflictError("This reading (device, measure and time) is already stored.")
        reading = session.get(Reading, outcome.reading_id)
        return created(dump(_reading, reading), f"/readings?patient_id={reading.patient_id}")


@blp.route("/batches")
class ReadingBatches(MethodView):
    @require_roles(*CLINICAL_ROLES, DEVICE_GATEWAY_ROLE)
    @blp.doc(operationId="ingestReadingBatch")
    @blp.arguments(BatchIn, example=BATCH)
    @blp.response(200, BatchResultSchema, example=BATCH_RESULT)
    def post(self, data):
        """Send a batch of readings from a device gateway

        Up to 1,000 readings, each matched to its device's (or patient's)
        active enrolment. Each is stored, found a duplicate of one already
        stored (a retried batch), or refused with why; the answer lists
        which. Readings are evaluated against the rules in the same
        transaction."""
        limit = current_runtime().service_settings.max_batch_readings
        if len(data["readings"]) > limit:
            raise RuleViolation(f"A batch holds at most {limit} readings.",
                                errors={"readings": [f"at most {limit}"]})
        result = readings.ingest(request_session(), data["readings"], source="device", check_patient=partial(
            patient_access, action="create", resource_type=RESOURCE, also_allowed_roles=(DEVICE_GATEWAY_ROLE,)))
        return {"stored": result.stored, "duplicates": result.duplicates, "refused": result.refused,
                "alerts_opened": result.alerts_opened,
                "results": [{"index": o.index, "status": o.status, "reading_id": o.reading_id, "errors": o.errors}
                            for o in result.outcomes]}
