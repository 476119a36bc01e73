"""monitoring: enrolments remember the care plan version whose monitoring
limits they last applied (newer plan versions win)

Revision ID: monitoring_i20_plan_limits
Revises: monitoring_0001_initial
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "monitoring_i20_plan_limits"
down_revision = "monitoring_0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('enrolments', sa.Column('limits_plan_id', sa.Uuid(), nullable=True))
    op.add_column('enrolments', sa.Column('limits_plan_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enrolments') as batch:
        batch.drop_column('limits_plan_version')
        batch.drop_column('limits_plan_id')
