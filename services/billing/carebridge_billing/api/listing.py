"""The shared shape of billing staff's list endpoints."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

from carebridge.web import page_of

from .access import audit_search


def filtered_page(session: Session, statement, model, args: dict, filters: tuple[str, ...], resource_type: str,
                  present: Callable) -> dict:
    """Audit the search, apply the equality filters given in `args`, and
    present one page."""
    audit_search(resource_type, args.get("patient_id"))
    for name in filters:
        if args.get(name) is not None:
            statement = statement.where(getattr(model, name) == args[name])
    page = page_of(session, statement, args)
    page["items"] = [present(item) for item in page["items"]]
    return page
