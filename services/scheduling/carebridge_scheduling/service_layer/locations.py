"""Where visits take place."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError

from ..persistence.models import Location


def get(session: Session, location_id: uuid.UUID) -> Location:
    return get_or_404(session, Location, location_id, "location")


def search(filters: dict):
    query = select(Location).order_by(Location.code)
    if filters.get("setting"):
        query = query.where(Location.setting == filters["setting"])
    if filters.get("active") is not None:
        query = query.where(Location.active.is_(filters["active"]))
    return query


def create(session: Session, data: dict) -> Location:
    _code_is_free(session, data["code"])
    now = clock.now()
    location = Location(id=uuid.uuid4(), created_at=now, updated_at=now, **data)
    session.add(location)
    session.flush()
    return location


def update(session: Session, location: Location, data: dict) -> Location:
    if data["code"] != location.code:
        _code_is_free(session, data["code"])
    for name, value in data.items():
        setattr(location, name, value)
    location.updated_at = clock.now()
    session.flush()
    return location


def _code_is_free(session: Session, code: str) -> None:
    if session.scalar(select(Location.id).where(Location.code == code)) is not None:
        raise ConflictError("Another location has this code.")
