"""Bundles: a search's answer (`searchset`, one page, with its paging links)
and a gathered record (`collection`)."""
from __future__ import annotations

import math
import uuid
from urllib.parse import urlencode

from .. import clock
from .elements import instant


def _page_url(base_url: str, query: list[tuple[str, str]], page: int, size: int) -> str:
    kept = [(k, v) for k, v in query if k not in ("page", "_count")]
    return f"{base_url}?{urlencode(kept + [('_count', str(size)), ('page', str(page))])}"


def searchset_bundle(resources: list[dict], *, total: int, page: int, size: int, base_url: str,
                     query: list[tuple[str, str]], full_url) -> dict:
    """One page of a search: `total` matches, `link`s self, first, previous,
    next and last (`?_count=&page=`), an entry per resource with its
    absolute `fullUrl` (`full_url(resource)`)."""
    last = max(1, math.ceil(total / size))
    links = [("self", page), ("first", 1)]
    if page > 1:
        links.append(("previous", min(page - 1, last)))
    if page < last:
        links.append(("next", page + 1))
    links.append(("last", last))
    bundle = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(clock.now())},
        "type": "searchset",
        "total": total,
        "link": [{"relation": relation, "url": _page_url(base_url, query, number, size)} for relation, number in links],
    }
    if resources:  # FHIR has no empty arrays
        bundle["entry"] = [{"fullUrl": full_url(resource), "resource": resource, "search": {"mode": "match"}}
                           for resource in resources]
    return bundle


def collection_bundle(entries: list[tuple[str, dict]]) -> dict:
    """A collection of (fullUrl, resource): a patient's gathered record."""
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(clock.now())},
        "type": "collection",
        "timestamp": instant(clock.now()),
        **({"entry": [{"fullUrl": url, "resource": resource} for url, resource in entries]} if entries else {}),
    }
