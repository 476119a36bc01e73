"""Answers that carry the record's version as ETag (and a Location when created)."""
from __future__ import annotations

import marshmallow as ma
from flask import Response

from carebridge.web import dump, with_etag


def answer(schema: ma.Schema, record, *, created_at: str | None = None) -> Response:
    """`record` as `schema` dumps it with its version as ETag; a 201 with
    `created_at` as its Location when the request created it. Dumped by the
    kit's `dump` (what `schema.dump` gives, without marshmallow's per-field
    machinery)."""
    response = with_etag(dump(schema, record), record.version)
    if created_at:
        response.status_code = 201
        response.headers["Location"] = created_at
    return response
