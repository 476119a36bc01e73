"""billing: remote patient monitoring (enrolments, days with readings, staff
minutes) and the monitoring charges made per patient, code and period

Revision ID: billing_i20_monitoring_charges
Revises: billing_0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

import carebridge.db.types

revision = "billing_i20_monitoring_charges"
down_revision = "billing_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('monitoring_days',
    sa.Column('enrolment_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('enrolment_id', 'day', name=op.f('pk_monitoring_days'))
    )
    with op.batch_alter_table('monitoring_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_days_patient_id'), ['patient_id'], unique=False)

    op.create_table('monitoring_enrolments',
    sa.Column('enrolment_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('set_up_charged', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('enrolment_id', name=op.f('pk_monitoring_enrolments'))
    )
    with op.batch_alter_table('monitoring_enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_enrolments_patient_id'), ['patient_id'], unique=False)

    op.create_table('monitoring_minutes',
    sa.Column('time_entry_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('enrolment_id', sa.Uuid(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('performed_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('time_entry_id', name=op.f('pk_monitoring_minutes'))
    )
    with op.batch_alter_table('monitoring_minutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_minutes_patient_id'), ['patient_id'], unique=False)

    op.create_table('monitoring_charges',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('service_code', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=60), nullable=False),
    sa.Column('charge_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['charges.id'], name=op.f('fk_monitoring_charges_charge_id_charges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_charges')),
    sa.UniqueConstraint('patient_id', 'service_code', 'period', name='uq_monitoring_charges_patient_code_period')
    )


def downgrade() -> None:
    op.drop_table('monitoring_charges')
    with op.batch_alter_table('monitoring_minutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_minutes_patient_id'))

    op.drop_table('monitoring_minutes')
    with op.batch_alter_table('monitoring_enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_enrolments_patient_id'))

    op.drop_table('monitoring_enrolments')
    with op.batch_alter_table('monitoring_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_days_patient_id'))

    op.drop_table('monitoring_days')
