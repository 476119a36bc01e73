"""The staff directory."""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404, where_equal
from carebridge.errors import ConflictError, RuleViolation

from ..domain.changes import changed_values
from ..domain.practitioners import check_specialty
from ..domain.search import search_key, search_terms
from ..persistence.models import Practitioner
from ..persistence.queries import name_matches
from . import care_teams, publishing
from .records import apply

log = logging.getLogger(__name__)


def get(session: Session, practitioner_id: uuid.UUID) -> Practitioner:
    return get_or_404(session, Practitioner, practitioner_id, "practitioner")


def register(session: Session, data: dict) -> Practitioner:
    """`data["id"]`, when given, is the subject the person's identity provider
    puts in their tokens; otherwise the directory makes one up."""
    data = dict(data)
    practitioner_id = data.pop("id", None) or uuid.uuid4()
    if session.get(Practitioner, practitioner_id) is not None:
        raise ConflictError("A practitioner with this id is already in the directory.",
                            errors={"id": ["Already in use."]})
    _check_specialty(data["role"], data.get("specialty"))
    if data.get("npi"):
        _ensure_npi_free(session, data["npi"])
    now = clock.now()
    practitioner = Practitioner(id=practitioner_id, created_at=now, updated_at=now, **data)
    practitioner.search_name = search_key(practitioner.given_name, practitioner.family_name)
    session.add(practitioner)
    session.flush()
    publishing.practitioner_changed(session, practitioner)
    log.info("practitioner registered", extra={"resource_id": str(practitioner.id), "role": practitioner.role})
    return practitioner


def update(session: Session, practitioner: Practitioner, requested: dict) -> list[str]:
    changes = changed_values({name: getattr(practitioner, name) for name in requested}, requested)
    if not changes:
        return []
    _check_specialty(changes.get("role", practitioner.role), changes.get("specialty", practitioner.specialty))
    if changes.get("npi"):
        _ensure_npi_free(session, changes["npi"])
    leaving = changes.get("active") is False
    apply(practitioner, changes)
    practitioner.search_name = search_key(practitioner.given_name, practitioner.family_name)
    practitioner.updated_at = clock.now()
    session.flush()
    if leaving:
        teams = care_teams.release_practitioner(session, practitioner.id)
        log.info("practitioner left their care teams", extra={"resource_id": str(practitioner.id), "count": teams})
    publishing.practitioner_changed(session, practitioner)
    return sorted(changes)


@dataclass(frozen=True)
class PractitionerSearch:
    name: str | None = None
    role: str | None = None
    specialty: str | None = None
    active: bool | None = None


def search(criteria: PractitionerSearch) -> Select:
    statement = where_equal(select(Practitioner), Practitioner, vars(criteria), ("role", "active"))
    if criteria.name:
        statement = statement.where(name_matches(Practitioner.search_name, search_terms(criteria.name)))
    if criteria.specialty:
        statement = statement.where(func.lower(Practitioner.specialty) == criteria.specialty.lower())
    return statement.order_by(Practitioner.family_name, Practitioner.given_name, Practitioner.id)


def _check_specialty(role: str, specialty: str | None) -> None:
    try:
        check_specialty(role, specialty)
    except ValueError as error:
        raise RuleViolation(str(error), errors={"specialty": [str(error)]}) from None


def _ensure_npi_free(session: Session, npi: str) -> None:
    if session.scalar(select(Practitioner.id).where(Practitioner.npi == npi)) is not None:
        raise ConflictError("Another practitioner already has this NPI.", errors={"npi": ["Already in use."]})
