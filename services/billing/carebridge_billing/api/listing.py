"""The shared shape of billing's list endpoints."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

from carebridge.db import among_patients, where_equal
from carebridge.web import page_of

from .access import audit_search, billing_data_access


def filtered_page(session: Session, statement, model, args: dict, filters: tuple[str, ...], resource_type: str,
                  present: Callable, *, check: Callable = billing_data_access) -> dict:
    """Audit the search (checking a patient filter with `check`), narrow to
    the patients the caller may see and to the filters given in `args`, and
    present one page."""
    visible = audit_search(resource_type, args.get("patient_id"), check=check)
    statement = where_equal(among_patients(statement, model.patient_id, visible), model, args, filters)
    page = page_of(session, statement, args)
    page["items"] = [present(item) for item in page["items"]]
    return page
