"""Visit types per clinical setting: read from their table, added and
retired by administrators (issue 25, item 14)."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.errors import ConflictError, NotFoundError

from ..domain.appointment_types import AppointmentType, AppointmentTypeCatalogue, UnknownAppointmentType
from ..persistence.models import AppointmentTypeRow


def _as_type(row: AppointmentTypeRow) -> AppointmentType:
    return AppointmentType(code=row.code, display=row.display, service_code=row.service_code,
                           duration_minutes=row.duration_minutes, setting=row.setting,
                           billing_category=row.billing_category, active=row.active)


def catalogue(session: Session) -> AppointmentTypeCatalogue:
    """The catalogue as the table holds it now (a few rows: read each time,
    so every replica sees an administrator's change at once)."""
    return AppointmentTypeCatalogue([_as_type(row) for row in session.scalars(select(AppointmentTypeRow))])


# Built once: every slot search and booking runs it, and building the
# statement cost more client CPU than running it.
_ONE_TYPE = select(
    AppointmentTypeRow.code, AppointmentTypeRow.display, AppointmentTypeRow.service_code,
    AppointmentTypeRow.duration_minutes, AppointmentTypeRow.setting, AppointmentTypeRow.billing_category,
    AppointmentTypeRow.active).where(AppointmentTypeRow.code == bindparam("code"))


def one(session: Session, code: str) -> AppointmentType:
    """The type of `code` as the table holds it now, or
    UnknownAppointmentType: one row read as plain columns (every slot search
    and booking asks for one type, not the catalogue)."""
    session.flush()  # what the ORM's autoflush would do; the row is read as plain columns
    row = session.connection().execute(_ONE_TYPE, {"code": code}).first()
    if row is None:
        raise UnknownAppointmentType(code)
    return AppointmentTypeCatalogue([AppointmentType(*row)]).get(code)


def search(filters: dict):
    query = select(AppointmentTypeRow).order_by(AppointmentTypeRow.code)
    if filters.get("setting"):
        query = query.where(AppointmentTypeRow.setting == filters["setting"])
    if filters.get("active") is not None:
        query = query.where(AppointmentTypeRow.active.is_(filters["active"]))
    return query


def get(session: Session, code: str) -> AppointmentTypeRow:
    row = session.get(AppointmentTypeRow, code)
    if row is None:
        raise NotFoundError("No such appointment type.")
    return row


def create(session: Session, data: dict) -> AppointmentTypeRow:
    if session.get(AppointmentTypeRow, data["code"]) is not None:
        raise ConflictError("Another appointment type has this code.")
    now = clock.now()
    row = AppointmentTypeRow(active=True, created_at=now, updated_at=now, **data)
    # The same checks the catalogue makes of every type (setting, duration).
    AppointmentTypeCatalogue([_as_type(row)])
    session.add(row)
    session.flush()
    return row


def set_active(session: Session, row: AppointmentTypeRow, active: bool) -> AppointmentTypeRow:
    """Retire a type (no new bookings; booked visits keep it) or offer it again."""
    if row.active != active:
        row.active = active
        row.updated_at = clock.now()
        session.flush()
    return row
