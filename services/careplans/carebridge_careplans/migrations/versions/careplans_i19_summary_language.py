"""careplans: the patient's preferred language (the plan summary is written in it)

Revision ID: careplans_i19_summary_language
Revises: careplans_i23_appointments
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "careplans_i19_summary_language"
down_revision = "careplans_i23_appointments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('patient_projection', sa.Column('preferred_language', sa.String(length=35), nullable=True))


def downgrade() -> None:
    op.drop_column('patient_projection', 'preferred_language')
