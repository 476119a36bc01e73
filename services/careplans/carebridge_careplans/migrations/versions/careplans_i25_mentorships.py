"""careplans: who mentors whom (a mentor may read their trainee's tasks)

Revision ID: careplans_i25_mentorships
Revises: careplans_i19_summary_language
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "careplans_i25_mentorships"
down_revision = "careplans_i19_summary_language"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentorship_projection",
        sa.Column("trainee_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Uuid(), nullable=False),
        sa.Column("in_training", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("trainee_id", name=op.f("pk_mentorship_projection")),
    )
    op.create_index(op.f("ix_mentorship_projection_mentor_id"), "mentorship_projection", ["mentor_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_mentorship_projection_mentor_id"), table_name="mentorship_projection")
    op.drop_table("mentorship_projection")
