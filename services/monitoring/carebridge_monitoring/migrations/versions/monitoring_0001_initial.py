"""monitoring: patients, enrolments, readings, reading days, alerts (one open
per enrolment and rule), monitoring time, triage calls

Revision ID: monitoring_0001_initial
Revises:
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

import carebridge.db.types
from carebridge.db.types import JsonDocument

revision = "monitoring_0001_initial"
down_revision = None
branch_labels = ('monitoring',)
depends_on = None


# A measured value: NUMERIC(10, 2) on PostgreSQL, its exact text on SQLite.
QUANTITY = sa.Numeric(precision=10, scale=2).with_variant(sa.String(length=24), "sqlite")


def upgrade() -> None:
    op.create_table('enrolments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('condition', sa.String(length=30), nullable=False),
    sa.Column('measures', JsonDocument(), nullable=False),
    sa.Column('device_kind', sa.String(length=40), nullable=False),
    sa.Column('device_serial', sa.String(length=80), nullable=False),
    sa.Column('consent_date', sa.Date(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('limits', JsonDocument(), nullable=False),
    sa.Column('rules', JsonDocument(), nullable=False),
    sa.Column('started_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.Column('enrolled_by', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments'))
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolments_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index('uq_enrolments_active_device', ['device_serial'], unique=True, postgresql_where=sa.text("status = 'active'"), sqlite_where=sa.text("status = 'active'"))

    op.create_table('monitored_patients',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_monitored_patients'))
    )
    op.create_table('triage_calls',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('caller_type', sa.String(length=20), nullable=False),
    sa.Column('caller_name', sa.String(length=200), nullable=True),
    sa.Column('protocol_code', sa.String(length=40), nullable=False),
    sa.Column('answers', JsonDocument(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('disposition', sa.String(length=20), nullable=False),
    sa.Column('book_within_days', sa.Integer(), nullable=True),
    sa.Column('advice', sa.Text(), nullable=False),
    sa.Column('called_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('nurse_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_calls'))
    )
    with op.batch_alter_table('triage_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_calls_patient_id'), ['patient_id'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('enrolment_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('rule_code', sa.String(length=60), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=200), nullable=True),
    sa.Column('action_code', sa.String(length=40), nullable=True),
    sa.Column('action_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_alerts_enrolment_id_enrolments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index('ix_alerts_status_opened', ['status', 'opened_at'], unique=False)
        batch_op.create_index('uq_alerts_open_episode', ['enrolment_id', 'rule_code'], unique=True, postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))

    op.create_table('reading_days',
    sa.Column('enrolment_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_reading_days_enrolment_id_enrolments')),
    sa.PrimaryKeyConstraint('enrolment_id', 'day', name=op.f('pk_reading_days'))
    )
    op.create_table('readings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('enrolment_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('value', QUANTITY, nullable=False),
    sa.Column('value2', QUANTITY, nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('sent_unit', sa.String(length=20), nullable=False),
    sa.Column('device_serial', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('taken_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_readings_enrolment_id_enrolments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_readings')),
    sa.UniqueConstraint('enrolment_id', 'device_serial', 'measure', 'taken_at', name='uq_readings_device_measure_taken')
    )
    with op.batch_alter_table('readings', schema=None) as batch_op:
        batch_op.create_index('ix_readings_enrolment_taken', ['enrolment_id', 'taken_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_readings_patient_id'), ['patient_id'], unique=False)

    op.create_table('alert_readings',
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('reading_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_readings_alert_id_alerts')),
    sa.ForeignKeyConstraint(['reading_id'], ['readings.id'], name=op.f('fk_alert_readings_reading_id_readings')),
    sa.PrimaryKeyConstraint('alert_id', 'reading_id', name=op.f('pk_alert_readings'))
    )
    op.create_table('time_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('enrolment_id', sa.Uuid(), nullable=False),
    sa.Column('alert_id', sa.Uuid(), nullable=True),
    sa.Column('practitioner_id', sa.Uuid(), nullable=True),
    sa.Column('activity', sa.String(length=30), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('performed_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_time_entries_alert_id_alerts')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_time_entries_enrolment_id_enrolments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entries'))
    )
    with op.batch_alter_table('time_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_entries_patient_id'), ['patient_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('time_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_entries_patient_id'))

    op.drop_table('time_entries')
    op.drop_table('alert_readings')
    with op.batch_alter_table('readings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_readings_patient_id'))
        batch_op.drop_index('ix_readings_enrolment_taken')

    op.drop_table('readings')
    op.drop_table('reading_days')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('uq_alerts_open_episode', postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_alerts_status_opened')
        batch_op.drop_index(batch_op.f('ix_alerts_patient_id'))

    op.drop_table('alerts')
    with op.batch_alter_table('triage_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_calls_patient_id'))

    op.drop_table('triage_calls')
    op.drop_table('monitored_patients')
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index('uq_enrolments_active_device', postgresql_where=sa.text("status = 'active'"), sqlite_where=sa.text("status = 'active'"))
        batch_op.drop_index(batch_op.f('ix_enrolments_patient_id'))

    op.drop_table('enrolments')
