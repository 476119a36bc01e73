"""careplans: hospital stays (a discharge opens the post-discharge work); the patient's time zone

Revision ID: careplans_i25_hospital_stays
Revises: careplans_0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import UTCDateTime

revision = "careplans_i25_hospital_stays"
down_revision = "careplans_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('patient_projection', sa.Column('time_zone', sa.String(length=64), nullable=True))
    op.create_table('hospital_stays',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('facility', sa.String(length=200), nullable=True),
    sa.Column('admitted_at', UTCDateTime(), nullable=False),
    sa.Column('discharged_at', UTCDateTime(), nullable=True),
    sa.Column('discharge_disposition', sa.String(length=30), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hospital_stays'))
    )
    op.create_index(op.f('ix_hospital_stays_patient_id'), 'hospital_stays', ['patient_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_hospital_stays_patient_id'), table_name='hospital_stays')
    op.drop_table('hospital_stays')
    op.drop_column('patient_projection', 'time_zone')
