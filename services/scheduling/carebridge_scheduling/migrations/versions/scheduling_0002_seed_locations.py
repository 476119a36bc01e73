"""scheduling: the locations the network opened with

Revision ID: scheduling_0002
Revises: scheduling_0001
Create Date: 2026-11-27
"""
import uuid

import sqlalchemy as sa
from alembic import op

from carebridge import clock
from carebridge.db.types import UTCDateTime
from carebridge_scheduling import reference

revision = "scheduling_0002"
down_revision = "scheduling_0001"
branch_labels = None
depends_on = None

# Stable ids, the same in every environment, derived from the codes.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "carebridge/scheduling/locations")

locations = sa.table(
    "locations",
    sa.column("id", sa.Uuid()), sa.column("code", sa.String()), sa.column("name", sa.String()),
    sa.column("setting", sa.String()), sa.column("active", sa.Boolean()), sa.column("version", sa.Integer()),
    sa.column("created_at", UTCDateTime()), sa.column("updated_at", UTCDateTime()),
)


def upgrade() -> None:
    # Later changes to locations are made through the API (or a migration of
    # their own); this file is the list at go-live.
    now = clock.now()
    op.bulk_insert(locations, [
        {"id": uuid.uuid5(NAMESPACE, row["code"]), "code": row["code"], "name": row["name"],
         "setting": row["setting"], "active": True, "version": 1, "created_at": now, "updated_at": now}
        for row in reference.load("locations.json")])


def downgrade() -> None:
    codes = [row["code"] for row in reference.load("locations.json")]
    op.execute(locations.delete().where(locations.c.code.in_(codes)))
