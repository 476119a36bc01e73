"""patients: new staff onboarding (a practitioner in training, their mentor and checklist)

Revision ID: patients_i25_training
Revises: patients_0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import JsonDocument, UTCDateTime

revision = "patients_i25_training"
down_revision = "patients_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practitioner_trainings",
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("checklist", JsonDocument(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("started_by", sa.Uuid(), nullable=True),
        sa.Column("signed_off_at", UTCDateTime(), nullable=True),
        sa.Column("signed_off_by", sa.Uuid(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioners.id"],
                                name=op.f("fk_practitioner_trainings_practitioner_id_practitioners")),
        sa.ForeignKeyConstraint(["mentor_id"], ["practitioners.id"],
                                name=op.f("fk_practitioner_trainings_mentor_id_practitioners")),
        sa.PrimaryKeyConstraint("practitioner_id", name=op.f("pk_practitioner_trainings")),
    )
    op.create_index(op.f("ix_practitioner_trainings_mentor_id"), "practitioner_trainings", ["mentor_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_practitioner_trainings_mentor_id"), table_name="practitioner_trainings")
    op.drop_table("practitioner_trainings")
