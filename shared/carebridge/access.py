"""Who may see a patient's clinical data (docs/architecture.md, Security).

Coordinators, admins and other services see every patient; nurses,
physicians and specialists see a patient only while they are an active
member of one of that patient's active care teams. Membership comes from the
`access_care_team*` tables, which the patients service writes together with
its care teams and every other service keeps from
`patients.care-team-changed` (subscribe `apply_care_team_changed`).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import bindparam, delete, exists, insert, or_, select
from sqlalchemy.orm import Session

from . import clock
from .auth import CARE_TEAM_SCOPED_ROLES, Principal
from .db.driver import driver_connection
from .db.kit_tables import access_care_team_members as members
from .db.kit_tables import access_care_teams as teams


# Asked on every patient-scoped request: built once (building a statement
# costs several times what running this one does).
_ACTIVE_MEMBER = exists().where(
    members.c.practitioner_id == bindparam("practitioner_id"),
    members.c.patient_id == bindparam("patient_id"),
    members.c.period_start <= bindparam("at"),
    or_(members.c.period_end.is_(None), members.c.period_end > bindparam("at")),
    teams.c.care_team_id == members.c.care_team_id,
    teams.c.status == "active",
)
_IS_ACTIVE_MEMBER = select(_ACTIVE_MEMBER)
# One per model read with `get_with_team_check` and dialect, built once each.
_ROW_AND_MEMBERSHIP: dict[tuple[type, str], "_RowAndMembership"] = {}


def is_active_team_member(session: Session, practitioner_id: uuid.UUID, patient_id: uuid.UUID,
                          at: datetime | None = None) -> bool:
    return bool(session.scalar(_IS_ACTIVE_MEMBER, {"practitioner_id": practitioner_id, "patient_id": patient_id,
                                                   "at": at or clock.now()}))


def checked_by_team(principal: Principal) -> bool:
    """Whether the principal's access to a patient comes down to their care
    team membership (what `may_see_patient` asks the database)."""
    return (not principal.sees_all_patients and principal.practitioner_id is not None
            and principal.has_any(*CARE_TEAM_SCOPED_ROLES))


def get_with_team_check(session: Session, model: type, key: uuid.UUID, principal: Principal,
                        patient_id: uuid.UUID, at: datetime | None = None):
    """The row of `model` with primary key `key` and whether `principal`
    (`checked_by_team`) is an active member of `patient_id`'s care team, from
    one SELECT (one round trip where `session.get` and `may_see_patient`
    make two): (row, member), or None when there is no such row.

    The row is for reading (answering a GET), not changing: it is read
    through SQLAlchemy Core (on PostgreSQL, Core's compiled SQL on the
    driver's connection: `_RowAndMembership`), not loaded into the session's
    identity map, and comes as a `ReadRecord`: the model's column attributes
    under their attribute names, with the columns' own type conversions
    (nothing else: no properties, no relationships), which is what a schema
    dumps. To change a record, load it with the ORM."""
    session.flush()  # what the session's own execute would autoflush first (nothing, on a GET)
    connection = session.connection()
    dialect = connection.dialect
    planned = _ROW_AND_MEMBERSHIP.get((model, dialect.name))
    if planned is None:
        planned = _ROW_AND_MEMBERSHIP[(model, dialect.name)] = _RowAndMembership(model, dialect)
    parameters = {"cb_key": key, "practitioner_id": principal.practitioner_id, "patient_id": patient_id,
                  "at": at or clock.now()}
    if planned.sql is None:
        found = connection.execute(planned.statement, parameters).first()
    else:
        found = planned.fetch_on_driver(session, connection, parameters)
    if found is None:
        return None
    *values, member = found
    record = planned.record_class.__new__(planned.record_class)
    record.__dict__.update(zip(planned.names, values))
    return record, bool(member)


class ReadRecord:
    """A row read for answering, not for changing: the model's column
    attributes as plain attributes (`record.version`), which is how
    marshmallow reads an ORM instance. Not in any session; properties and
    relationships of the model are not there."""

    def __repr__(self):
        return f"<{type(self).__name__} {self.__dict__.get('id')}>"


class _RowAndMembership:
    """The SELECT of a model's row with the membership column, planned once
    per model and dialect. On PostgreSQL it also runs as plain SQL on the
    driver's connection, with the types' own bind and result conversions
    applied here: SQLAlchemy's work around this one statement (its cache
    key, execution context and result set-up, psycopg's description of 20-odd
    columns that only the result set-up reads) cost more CPU than the
    statement on every nurse's read of a patient."""

    def __init__(self, model: type, dialect):
        mapper = model.__mapper__
        key_column, = mapper.primary_key
        attributes = [attribute for attribute in mapper.column_attrs if len(attribute.columns) == 1]
        self.names = tuple(attribute.key for attribute in attributes)
        columns = [attribute.columns[0] for attribute in attributes]
        self.statement = select(*columns, _ACTIVE_MEMBER.label("cb_team_member")).where(
            key_column == bindparam("cb_key"))
        self.record_class = type(f"{model.__name__}ReadRecord", (ReadRecord,), {"__module__": __name__})
        self.sql = None
        if dialect.name == "postgresql":
            compiled = self.statement.compile(dialect=dialect)
            self.sql = compiled.string
            self.bind_conversions, self.constants = {}, {}
            for bind, name in compiled.bind_names.items():
                convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if bind.required:  # given by get_with_team_check on each read
                    self.bind_conversions[name] = convert
                else:  # a value written into the statement (the team's status)
                    value = bind.effective_value
                    self.constants[name] = convert(value) if convert is not None else value
            # The membership column (a boolean) needs none.
            self.result_conversions = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                                       for column in columns] + [None]

    def fetch_on_driver(self, session: Session, connection, parameters: dict):
        values = dict(self.constants)
        for name, value in parameters.items():
            convert = self.bind_conversions.get(name)
            values[name] = convert(value) if convert is not None and value is not None else value
        with driver_connection(session, self.sql, connection) as driver:
            with driver.cursor() as cursor:
                cursor.execute(self.sql, values)
                row = cursor.fetchone()
        if row is None:
            return None
        return [convert(value) if convert is not None else value
                for convert, value in zip(self.result_conversions, row)]


def may_see_patient(session: Session, principal: Principal, patient_id: uuid.UUID) -> bool:
    if principal.sees_all_patients:
        return True
    practitioner = principal.practitioner_id
    if practitioner is None or not principal.has_any(*CARE_TEAM_SCOPED_ROLES):
        return False
    return is_active_team_member(session, practitioner, patient_id)


def patients_visible_to(principal: Principal, at: datetime | None = None):
    """A SELECT of the patient ids a care-team-scoped principal may see (for
    filtering lists), or None when the principal sees every patient."""
    if principal.sees_all_patients:
        return None
    at = at or clock.now()
    return (select(members.c.patient_id)
            .join(teams, teams.c.care_team_id == members.c.care_team_id)
            .where(members.c.practitioner_id == principal.practitioner_id,
                   members.c.period_start <= at,
                   or_(members.c.period_end.is_(None), members.c.period_end > at),
                   teams.c.status == "active"))


def active_members(session: Session, care_team_id: uuid.UUID, at: datetime | None = None):
    at = at or clock.now()
    return session.execute(select(members).where(
        members.c.care_team_id == care_team_id,
        members.c.period_start <= at,
        or_(members.c.period_end.is_(None), members.c.period_end > at))).mappings().all()


def store_care_team(session: Session, *, care_team_id, patient_id, status, lead_coordinator_id,
                    revision: int, members_list: list[dict]) -> bool:
    """Replace the projection of one care team if `revision` is newer than the
    one held. Returns False for a stale (out-of-order) update."""
    held = session.execute(select(teams.c.revision).where(teams.c.care_team_id == care_team_id)
                           .with_for_update()).scalar()
    if held is not None and held >= revision:
        return False
    values = dict(patient_id=patient_id, status=status, lead_coordinator_id=lead_coordinator_id, revision=revision)
    if held is None:
        session.execute(insert(teams).values(care_team_id=care_team_id, **values))
    else:
        session.execute(teams.update().where(teams.c.care_team_id == care_team_id).values(**values))
    session.execute(delete(members).where(members.c.care_team_id == care_team_id))
    if members_list:
        session.execute(insert(members), [
            {"care_team_id": care_team_id, "patient_id": patient_id, "membership_id": m["membership_id"],
             "practitioner_id": m["practitioner_id"], "role": m["role"],
             "period_start": m["period_start"], "period_end": m.get("period_end")}
            for m in members_list])
    return True


def apply_care_team_changed(session: Session, event) -> None:
    """Handler for `patients.care-team-changed` v1: keeps the access projection."""
    data = event.data
    store_care_team(session, care_team_id=data["care_team_id"], patient_id=data["patient_id"],
                    status=data["status"], lead_coordinator_id=data.get("lead_coordinator_id"),
                    revision=data["revision"], members_list=data["members"])


def care_teams_of(session: Session, patient_id: uuid.UUID):
    return session.execute(select(teams).where(teams.c.patient_id == patient_id)).mappings().all()


__all__ = ["is_active_team_member", "may_see_patient", "patients_visible_to", "active_members",
           "store_care_team", "apply_care_team_changed", "care_teams_of"]
