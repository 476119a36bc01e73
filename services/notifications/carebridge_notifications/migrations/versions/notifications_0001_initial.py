"""Notifications: the recipient directory, preferences, notifications and
their deliveries, webhook subscriptions, escalations.

Revision ID: notifications_0001
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import JsonDocument, UTCDateTime

revision = "notifications_0001"
down_revision = None
branch_labels = ("notifications",)
depends_on = None


def _reachable():
    """Columns every person in the directory has."""
    return [
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=True),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("sms_number", sa.String(200), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def _communication_choices():
    """What patients and relatives told the patients service about being contacted."""
    return [
        sa.Column("preferred_channel", sa.String(20), nullable=False),
        sa.Column("quiet_hours_start", sa.String(5), nullable=True),
        sa.Column("quiet_hours_end", sa.String(5), nullable=True),
        sa.Column("sms_consent", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "practitioner_recipients",
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_reachable(),
        sa.PrimaryKeyConstraint("practitioner_id", name="pk_practitioner_recipients"),
    )
    op.create_index("ix_practitioner_recipients_role", "practitioner_recipients", ["role"])

    op.create_table(
        "patient_recipients",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        *_reachable(),
        *_communication_choices(),
        sa.PrimaryKeyConstraint("patient_id", name="pk_patient_recipients"),
    )

    op.create_table(
        "related_person_recipients",
        sa.Column("related_person_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("relationship", sa.String(40), nullable=False),
        sa.Column("consent_appointments", sa.Boolean(), nullable=False),
        sa.Column("consent_care_plan", sa.Boolean(), nullable=False),
        sa.Column("consent_billing", sa.Boolean(), nullable=False),
        sa.Column("consent_withdrawn_at", UTCDateTime(), nullable=True),
        *_reachable(),
        *_communication_choices(),
        sa.PrimaryKeyConstraint("related_person_id", name="pk_related_person_recipients"),
    )
    op.create_index("ix_related_person_recipients_patient_id", "related_person_recipients", ["patient_id"])

    op.create_table(
        "preferences",
        sa.Column("recipient_type", sa.String(20), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("quiet_hours_start", sa.String(5), nullable=True),
        sa.Column("quiet_hours_end", sa.String(5), nullable=True),
        sa.Column("channels", JsonDocument(), nullable=False),
        sa.Column("sms_consent", sa.Boolean(), nullable=False),
        sa.Column("sms_consent_recorded_at", UTCDateTime(), nullable=True),
        sa.Column("sms_consent_recorded_by", sa.String(200), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("recipient_type", "recipient_id", name="pk_preferences"),
    )

    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("event_types", JsonDocument(), nullable=False),
        sa.Column("description", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_subscriptions"),
    )

    op.create_table(
        "escalations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_event_id", sa.Uuid(), nullable=False),
        sa.Column("source_event_type", sa.String(120), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("correlation_id", sa.String(128), nullable=True),
        sa.Column("patient_id", sa.Uuid(), nullable=True),
        sa.Column("care_team_id", sa.Uuid(), nullable=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("template", sa.String(60), nullable=False),
        sa.Column("event_data", JsonDocument(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(200), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_escalations"),
        sa.UniqueConstraint("source_event_id", name="uq_escalations_source_event_id"),
    )
    op.create_index("ix_escalations_due", "escalations", ["status", "due_at"])
    op.create_index("ix_escalations_patient_id", "escalations", ["patient_id"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_event_id", sa.Uuid(), nullable=False),
        sa.Column("source_event_type", sa.String(120), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("correlation_id", sa.String(128), nullable=True),
        sa.Column("patient_id", sa.Uuid(), nullable=True),
        sa.Column("recipient_type", sa.String(20), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("urgency", sa.String(10), nullable=False),
        sa.Column("template", sa.String(60), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("payload", JsonDocument(), nullable=True),
        sa.Column("escalation_id", sa.Uuid(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"],
                                name="fk_notifications_escalation_id_escalations"),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        # Nobody is told the same event twice at the same escalation level.
        sa.UniqueConstraint("source_event_id", "recipient_type", "recipient_id", "escalation_level",
                            name="uq_notifications_event_recipient_level"),
    )
    op.create_index("ix_notifications_inbox", "notifications", ["recipient_type", "recipient_id", "created_at"])
    op.create_index("ix_notifications_patient_history", "notifications", ["patient_id", "created_at"])

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("lease_token", sa.Uuid(), nullable=True),
        sa.Column("last_error", sa.String(60), nullable=True),
        sa.Column("provider_reference", sa.String(200), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"],
                                name="fk_deliveries_notification_id_notifications"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        # One delivery per notification and channel.
        sa.UniqueConstraint("notification_id", "channel", name="uq_deliveries_notification_id_channel"),
    )
    op.create_index("ix_deliveries_due", "deliveries", ["next_attempt_at"],
                    postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
    op.create_index("ix_deliveries_status", "deliveries", ["status"])

    op.create_table(
        "escalation_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("escalation_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(40), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("escalated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"],
                                name="fk_escalation_steps_escalation_id_escalations"),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"],
                                name="fk_escalation_steps_notification_id_notifications"),
        sa.PrimaryKeyConstraint("id", name="pk_escalation_steps"),
        sa.UniqueConstraint("escalation_id", "level", "recipient_id",
                            name="uq_escalation_steps_escalation_id_level_recipient_id"),
    )


def downgrade() -> None:
    for table in ("escalation_steps", "deliveries", "notifications", "escalations", "webhook_subscriptions",
                  "preferences", "related_person_recipients", "patient_recipients", "practitioner_recipients"):
        op.drop_table(table)
