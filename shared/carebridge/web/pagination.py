"""Every list is paginated: `?page=1&page_size=25` in, and out

    {"items": [...], "page": 1, "page_size": 25, "total": 120}

`page_of` is also where a search's audit learns which patients its answer
shows (carebridge.audit.record_search / disclosed): each item's
`patient_id` (or what `patient_of` says, for items that are patients or
hold theirs elsewhere).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

import marshmallow as ma
from marshmallow import fields, validate
from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from .. import audit

MAX_PAGE_SIZE = 100


class PageArgs(ma.Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


@lru_cache(maxsize=None)
def paged(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The page schema wrapping `item_schema` (one class per item schema, so
    the OpenAPI document names it once)."""
    return type(f"{item_schema.__name__.removesuffix('Schema')}PageSchema", (ma.Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "page": fields.Integer(required=True),
        "page_size": fields.Integer(required=True),
        "total": fields.Integer(required=True),
    })


def page_of(session: Session, statement, args: dict, *, scalars: bool = True,
            patient_of: Callable[[Any], Any] | None = None) -> dict:
    """Run `statement` (a SELECT with its ORDER BY) for one page. The total
    is counted only when the page cannot tell it: a page that is not full
    (and not an empty page past the first) is the last one, so the total is
    the rows before it plus its own. Most lists a page of the console asks
    for (a patient's allergies, teams, claims) fit in one page, and the count
    was a third of such a call's time."""
    page, size = args.get("page", 1), args.get("page_size", 25)
    offset = (page - 1) * size
    result = session.execute(statement.limit(size).offset(offset))
    items = result.scalars().all() if scalars else result.all()
    if len(items) < size and (items or page == 1):
        total = offset + len(items)
    else:
        total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    if audit.searching(session):
        audit.disclosed(session, map(patient_of or _patient_of, items))
    return {"items": items, "page": page, "page_size": size, "total": total}


def _patient_of(item):
    found = getattr(item, "patient_id", None)
    if found is None and isinstance(item, Row):
        found = next((getattr(part, "patient_id", None) for part in item
                      if getattr(part, "patient_id", None) is not None), None)
    return found


def page_from_list(items: list, args: dict) -> dict:
    page, size = args.get("page", 1), args.get("page_size", 25)
    return {"items": items[(page - 1) * size: page * size], "page": page, "page_size": size, "total": len(items)}
