"""Reading the worklist: the filters a coordinator uses."""
from __future__ import annotations

from sqlalchemy import case, false, select

from carebridge import access, clock
from carebridge.auth import CARE_TEAM_SCOPED_ROLES, Principal
from carebridge.db import among_patients, where_equal

from ..domain.lifecycles import OPEN_TASK_STATUSES
from ..persistence.models import Task
from .projections import mentors

_PRIORITY_ORDER = case({"stat": 0, "asap": 1, "urgent": 2, "routine": 3}, value=Task.priority)


def _patients_of_my_teams(principal: Principal):
    # The patients of the teams the caller is an active member of: the kit's
    # care-team view, asked for as a care-team-scoped member would be.
    as_member = Principal(principal.subject, frozenset(CARE_TEAM_SCOPED_ROLES))
    return access.patients_visible_to(as_member)


def mentor_asks_for_trainee(session, principal: Principal, filters: dict) -> bool:
    """Whether the caller asks for the tasks of the practitioner they mentor
    in training (`owner_id`, no patient named): then they see those tasks
    whatever team the patients are on."""
    me, owner = principal.practitioner_id, filters.get("owner_id")
    return (me is not None and owner is not None and filters.get("patient_id") is None
            and mentors(session, me, owner))


def worklist_query(principal: Principal, filters: dict, visible_patients):
    """Tasks matching the filters, most pressing first: priority, then due
    time (undated last), then age. Only tasks of `visible_patients` (the
    caller's, from `audited_search`; None: every patient)."""
    statement = among_patients(select(Task), Task.patient_id, visible_patients)
    statement = where_equal(statement, Task, filters, ("owner_id", "patient_id"))
    statuses = filters.get("status") or OPEN_TASK_STATUSES
    statement = statement.where(Task.status.in_(statuses))
    me = principal.practitioner_id
    if filters.get("mine"):
        statement = statement.where(Task.owner_id == me) if me else statement.where(false())
    if filters.get("team"):
        statement = statement.where(Task.patient_id.in_(_patients_of_my_teams(principal))) if me \
            else statement.where(false())
    if filters.get("unassigned"):
        statement = statement.where(Task.owner_id.is_(None))
    if filters.get("overdue"):
        statement = statement.where(Task.due_at < clock.now(), Task.status.in_(OPEN_TASK_STATUSES))
    if filters.get("priority"):
        statement = statement.where(Task.priority.in_(filters["priority"]))
    if filters.get("code"):
        statement = statement.where(Task.code.in_(filters["code"]))
    return statement.order_by(_PRIORITY_ORDER, Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id)
