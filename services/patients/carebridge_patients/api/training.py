"""/practitioners/{id}/training: new staff onboarding (a mentor, a checklist, sign-off)."""
from __future__ import annotations

import uuid

from flask.views import MethodView

from carebridge import audit
from carebridge.web import (Blueprint, current_principal, deny, documented_if_match, idempotent, request_session,
                            require_if_match, require_roles)

from ..domain.training import SIGNED_OFF, default_checklist
from ..domain.vocabulary import STAFF_ROLES
from ..service_layer import practitioners, training
from .access_rules import MANAGES_DIRECTORY, READS_DIRECTORY
from .examples import NEW_TRAINING, SIGNED_OFF_TRAINING, TRAINING, TRAINING_PROGRESS
from .responses import answer
from .schemas.training import DefaultChecklistSchema, NewTrainingSchema, TrainingProgressSchema, TrainingSchema

blp = Blueprint("training", __name__, url_prefix="/practitioners",
                description="New staff onboarding: a practitioner in training has a mentor and a checklist "
                            "(shadowing, modules, sign-off items); while in training they receive no escalations "
                            "and their mentor may read their tasks.")

_training = TrainingSchema()


def _by() -> uuid.UUID | None:
    return current_principal().practitioner_id


@blp.route("/training-checklists")
class DefaultChecklists(MethodView):
    @require_roles(*MANAGES_DIRECTORY)
    @blp.doc(operationId="listDefaultTrainingChecklists")
    @blp.response(200, DefaultChecklistSchema(many=True))
    def get(self):
        """List the default checklist of each role

        The reference checklist a new colleague of that role starts with
        when none is given."""
        return [{"role": role, "checklist": default_checklist(role)} for role in STAFF_ROLES]


@blp.route("/<uuid:practitioner_id>/training")
class Training(MethodView):
    @require_roles(*READS_DIRECTORY)
    @blp.doc(operationId="getPractitionerTraining")
    @blp.response(200, TrainingSchema, example=TRAINING)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, practitioner_id: uuid.UUID):
        """Read a practitioner's training

        Coordinators and admins, the trainee and their mentor; 404 when the
        practitioner was never in training."""
        session = request_session()
        record = training.get(session, practitioner_id)
        principal = current_principal()
        if not (principal.has_any(*MANAGES_DIRECTORY)
                or principal.practitioner_id in (record.practitioner_id, record.mentor_id)):
            deny(action="read", resource_type="practitioner-training", resource_id=practitioner_id)
        audit.record(session, action="read", resource_type="practitioner-training", resource_id=practitioner_id)
        return answer(_training, record)

    @require_roles(*MANAGES_DIRECTORY)
    @idempotent
    @blp.doc(operationId="startPractitionerTraining")
    @blp.arguments(NewTrainingSchema, example=NEW_TRAINING)
    @blp.response(201, TrainingSchema, example=TRAINING)
    def post(self, data, practitioner_id: uuid.UUID):
        """Start a practitioner's training

        With a mentor (another active practitioner) and a checklist (the
        role's default one when none is given). 409 while a training is
        under way; after a sign-off, starting again begins a new checklist.
        Publishes `patients.practitioner-training-changed`."""
        session = request_session()
        trainee = practitioners.get(session, practitioner_id)
        record = training.start(session, trainee, data["mentor_id"], data["checklist"], by=_by())
        return answer(_training, record, created_at=f"/practitioners/{practitioner_id}/training")

    @require_roles(*MANAGES_DIRECTORY)
    @documented_if_match
    @blp.doc(operationId="updatePractitionerTraining")
    @blp.arguments(TrainingProgressSchema, example=TRAINING_PROGRESS)
    @blp.response(200, TrainingSchema, example=SIGNED_OFF_TRAINING)
    def patch(self, progress, practitioner_id: uuid.UUID):
        """Tick checklist items off, or sign the training off

        `done` ticks the items with these codes (who and when are recorded;
        an item already done keeps its first tick). `status: signed-off`
        then ends the training: every item must be done (409 naming those
        left); who signed off and when are recorded, and
        `patients.practitioner-training-changed` is published."""
        session = request_session()
        record = training.get(session, practitioner_id)
        require_if_match(record.version)
        training.progress(session, record, progress["done"], sign_off=progress.get("status") == SIGNED_OFF,
                          by=_by())
        return answer(_training, record)
