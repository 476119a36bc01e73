"""/tasks: the coordinator worklist."""
from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from carebridge import clock
from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.web import (Blueprint, audited_search, current_principal, documented_if_match, dump, idempotent,
                            page_of, paged, patient_access, patient_scoped, request_session, require_if_match,
                            require_roles, with_etag)

from ..domain.lifecycles import OPEN_TASK_STATUSES
from ..persistence.models import Task
from ..service_layer import tasks, worklist
from .access import actor
from .examples import NEW_TASK, REASSIGNED_TASK, TASK, TASK_OWNER, TASK_UPDATE, UPDATED_TASK
from .schemas.tasks import (TaskCreateSchema, TaskHistorySchema, TaskOwnerSchema, TaskSchema, TaskUpdateSchema,
                            WorklistArgs)

_task = TaskSchema()


blp = Blueprint("tasks", __name__, url_prefix="/tasks",
                description="Coordinator tasks: owner, priority, due time, status and the business reason.")


def _view(task: Task) -> dict:
    overdue = task.due_at is not None and task.due_at < clock.now() and task.status in OPEN_TASK_STATUSES
    return {**{c.key: getattr(task, c.key) for c in Task.__table__.columns}, "overdue": overdue}


def task_response(task: Task, status: int = 200):
    response = with_etag(dump(_task, _view(task)), task.version)
    response.status_code = status
    if status == 201:
        response.headers["Location"] = url_for("tasks.TaskById", task_id=task.id)
    return response


def _accessible_task(task_id, action: str) -> Task:
    task = tasks.load_task(request_session(), task_id)
    patient_access(task.patient_id, action=action, resource_type="task", resource_id=task.id)
    return task


@blp.route("")
class Worklist(MethodView):
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listTasks")
    @blp.arguments(WorklistArgs, location="query")
    @blp.response(200, paged(TaskSchema))
    def get(self, args):
        """List open tasks

        Most pressing first. Filters: mine, team (my care teams' patients), overdue, unassigned,
        patient_id, owner_id, priority, status, code. A mentor may list the
        tasks of the practitioner they mentor (`owner_id`) while that
        practitioner is in training, whoever the patients are."""
        visible = audited_search("task", args.get("patient_id"))
        session = request_session()
        if visible is not None and worklist.mentor_asks_for_trainee(session, current_principal(), args):
            visible = None  # the trainee's tasks, whichever patients they are for (owner_id narrows the list)
        page = page_of(session, worklist.worklist_query(current_principal(), args, visible), args)
        return {**page, "items": [_view(task) for task in page["items"]]}

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="createTask")
    @blp.arguments(TaskCreateSchema, example=NEW_TASK)
    @blp.response(201, TaskSchema, example=TASK)
    def post(self, data):
        """Open a task

        Without owner_id it goes to the team's lead coordinator."""
        patient_access(data["patient_id"], action="create", resource_type="task")
        return task_response(tasks.create_task(request_session(), data, actor()), 201)


@blp.route("/<uuid:task_id>")
class TaskById(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getTask")
    @blp.response(200, TaskSchema, example=TASK)
    def get(self, task_id):
        """Read a task"""
        return task_response(_accessible_task(task_id, "read"))

    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="updateTask")
    @blp.arguments(TaskUpdateSchema, example=TASK_UPDATE)
    @blp.response(200, TaskSchema, example=UPDATED_TASK)
    def patch(self, data, task_id):
        """Update a task

        Move it along (requested, accepted, in-progress, on-hold, completed, cancelled, failed) or
        change its priority, due time or note."""
        task = _accessible_task(task_id, "update")
        require_if_match(task.version)
        return task_response(tasks.update_task(request_session(), task, data, actor()))


@blp.route("/<uuid:task_id>/owner")
class TaskOwner(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @documented_if_match
    @blp.doc(operationId="reassignTask")
    @blp.arguments(TaskOwnerSchema, example=TASK_OWNER)
    @blp.response(200, TaskSchema, example=REASSIGNED_TASK)
    def put(self, data, task_id):
        """Reassign a task

        With the reason; the new owner is told."""
        task = _accessible_task(task_id, "update")
        require_if_match(task.version)
        session = request_session()
        if data["owner_id"] is not None:
            tasks.check_owner(session, task.patient_id, data["owner_id"], "owner_id")
        return task_response(tasks.assign_task(session, task, data["owner_id"], data["reason"], actor()))


@blp.route("/<uuid:task_id>/history")
class TaskHistory(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listTaskHistory")
    @blp.response(200, TaskHistorySchema(many=True))
    def get(self, task_id):
        """List a task's history

        Who did what to the task, and why (reassignments, status changes)."""
        task = _accessible_task(task_id, "read")
        return tasks.history_of(request_session(), task)
