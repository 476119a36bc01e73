"""Tables the platform kit keeps in every service's database.

They live in each service's own database (a service never reads another's)
and are created by the kit's own Alembic branch, which every service's
`alembic upgrade heads` applies beside its own migrations.
"""
from __future__ import annotations

from sqlalchemy import Column, Index, Integer, PrimaryKeyConstraint, SmallInteger, String, Table, Text, Uuid, text

from .metadata import make_metadata
from .types import BigIntegerKey, JsonDocument, UTCDateTime

kit_metadata = make_metadata()

# Events written in the same transaction as the state change that caused
# them; the relay publishes them and stamps published_at.
outbox_events = Table(
    "outbox_events", kit_metadata,
    Column("position", BigIntegerKey(), primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("event_type", String(120), nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("published_at", UTCDateTime, nullable=True),
    Column("publish_attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", String(300), nullable=True),
    # Set when the broker returned the event as unroutable (no queue bound to
    # its type yet): the relay leaves it until then (outbox/relay.py).
    Column("next_attempt_at", UTCDateTime, nullable=True),
    Index("ix_outbox_events_unpublished", "position",
          postgresql_where=text("published_at IS NULL"),
          sqlite_where=text("published_at IS NULL")),
)

# Events this service has already applied: written in the same transaction as
# the handler's effects, so a redelivered event is recognised and skipped.
inbox_events = Table(
    "inbox_events", kit_metadata,
    Column("consumer", String(80), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(120), nullable=False),
    Column("processed_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("consumer", "event_id"),
)

# Who touched which patient's data, append-only, each record hashed (HMAC
# with the key `key_id` names; NULL: plain SHA-256, before kit_i22) together
# with the previous record's hash in its chain (carebridge.audit.trail: a few
# chains, so that concurrent requests do not queue for one).
audit_records = Table(
    "audit_records", kit_metadata,
    Column("seq", BigIntegerKey(), primary_key=True, autoincrement=True),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("resource_type", String(60), nullable=False),
    Column("resource_id", String(80), nullable=True),
    Column("patient_id", String(80), nullable=True, index=True),
    Column("correlation_id", String(128), nullable=True),
    Column("outcome", String(20), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("chain", SmallInteger, nullable=False, server_default=text("0")),
    Column("key_id", String(16), nullable=True),
    Index("ix_audit_records_chain_seq", "chain", "seq"),
)

# Other services' signed audit checkpoints (`<service>.audit-checkpointed`),
# kept so that a service's deleted newest audit records can be told even by
# someone who can change that service's database. Append-only too.
audit_checkpoints = Table(
    "audit_checkpoints", kit_metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("service", String(80), nullable=False),
    Column("checkpointed_at", UTCDateTime, nullable=False),
    Column("document", Text, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Index("ix_audit_checkpoints_service_time", "service", "checkpointed_at"),
)

# The kit's tables the service's runtime database role may only read and
# append to (carebridge.db.migrations grants it nothing more).
APPEND_ONLY_TABLES = ("audit_records", "audit_checkpoints")

# Responses to POSTs that carried an Idempotency-Key, replayed on retry.
idempotency_keys = Table(
    "idempotency_keys", kit_metadata,
    Column("principal", String(200), nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("endpoint", String(200), nullable=False),
    Column("request_fingerprint", String(64), nullable=False),
    Column("response_status", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    Column("response_headers", JsonDocument(), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Whose data the stored response holds: a replay is audited as a read of it.
    Column("audit_subjects", JsonDocument(), nullable=True),
    PrimaryKeyConstraint("principal", "idempotency_key"),
)

# Who is on which patient's care team: the basis of every clinical access
# check. The patients service writes it with its own care-team changes; the
# other services keep it from `patients.care-team-changed`.
access_care_teams = Table(
    "access_care_teams", kit_metadata,
    Column("care_team_id", Uuid, primary_key=True),
    Column("patient_id", Uuid, nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("lead_coordinator_id", Uuid, nullable=True),
    Column("revision", Integer, nullable=False),
)

access_care_team_members = Table(
    "access_care_team_members", kit_metadata,
    Column("care_team_id", Uuid, nullable=False),
    Column("membership_id", Uuid, nullable=False),
    Column("patient_id", Uuid, nullable=False),
    Column("practitioner_id", Uuid, nullable=False),
    Column("role", String(40), nullable=False),
    Column("period_start", UTCDateTime, nullable=False),
    Column("period_end", UTCDateTime, nullable=True),
    PrimaryKeyConstraint("care_team_id", "membership_id"),
    Index("ix_access_members_lookup", "practitioner_id", "patient_id"),
)
