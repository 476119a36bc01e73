"""careplans: initial schema

Plans with their goals, activities and versions; medication safety alerts;
the worklist (tasks and their history); dose records; check-ins; the
projections of allergies and patients; parked events.

Revision ID: careplans_0001
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import BigIntegerKey, JsonDocument, UTCDateTime

revision = "careplans_0001"
down_revision = None
branch_labels = ("careplans",)
depends_on = None


def upgrade() -> None:
    op.create_table('allergy_projection',
    sa.Column('allergy_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('substance_system', sa.String(length=20), nullable=False),
    sa.Column('substance_code', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('criticality', sa.String(length=20), nullable=True),
    sa.Column('clinical_status', sa.String(length=20), nullable=False),
    sa.Column('verification_status', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('allergy_id', name=op.f('pk_allergy_projection'))
    )
    op.create_index(op.f('ix_allergy_projection_patient_id'), 'allergy_projection', ['patient_id'], unique=False)

    op.create_table('care_plans',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('care_team_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('conditions', JsonDocument(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('warning_signs', JsonDocument(), nullable=False),
    sa.Column('contacts', JsonDocument(), nullable=False),
    sa.Column('template_code', sa.String(length=80), nullable=True),
    sa.Column('template_version', sa.String(length=20), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plans'))
    )
    op.create_index(op.f('ix_care_plans_patient_id'), 'care_plans', ['patient_id'], unique=False)

    op.create_table('parked_events',
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=120), nullable=False),
    sa.Column('event_version', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.String(length=60), nullable=False),
    sa.Column('envelope', sa.Text(), nullable=False),
    sa.Column('parked_at', UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('applied_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_parked_events'))
    )
    op.create_index(op.f('ix_parked_events_patient_id'), 'parked_events', ['patient_id'], unique=False)

    op.create_table('patient_projection',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_patient_projection'))
    )
    op.create_table('tasks',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('care_team_id', sa.Uuid(), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('requester_id', sa.Uuid(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('focus_type', sa.String(length=20), nullable=True),
    sa.Column('focus_id', sa.Uuid(), nullable=True),
    sa.Column('plan_id', sa.Uuid(), nullable=True),
    sa.Column('due_at', UTCDateTime(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('overdue_notified_at', UTCDateTime(), nullable=True),
    sa.Column('open_key', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('open_key', name=op.f('uq_tasks_open_key'))
    )
    op.create_index(op.f('ix_tasks_owner_id'), 'tasks', ['owner_id'], unique=False)
    op.create_index(op.f('ix_tasks_patient_id'), 'tasks', ['patient_id'], unique=False)
    op.create_index('ix_tasks_status_due_at', 'tasks', ['status', 'due_at'], unique=False)

    op.create_table('care_plan_versions',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('authored_at', UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('author_roles', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_sections', JsonDocument(), nullable=False),
    sa.Column('document', JsonDocument(), nullable=False),
    sa.Column('caused_by_event_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_care_plan_versions_plan_id_care_plans')),
    sa.PrimaryKeyConstraint('plan_id', 'version', name=op.f('pk_care_plan_versions'))
    )
    op.create_table('check_ins',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=True),
    sa.Column('task_id', sa.Uuid(), nullable=True),
    sa.Column('appointment_id', sa.Uuid(), nullable=True),
    sa.Column('context', sa.String(length=30), nullable=False),
    sa.Column('contact_method', sa.String(length=20), nullable=False),
    sa.Column('reached', sa.Boolean(), nullable=False),
    sa.Column('overall', sa.String(length=20), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('barriers', JsonDocument(), nullable=False),
    sa.Column('goal_progress', JsonDocument(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', UTCDateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_check_ins_plan_id_care_plans')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_check_ins_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins'))
    )
    op.create_index(op.f('ix_check_ins_patient_id'), 'check_ins', ['patient_id'], unique=False)

    op.create_table('medication_alerts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('plan_version', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('rxnorm_codes', JsonDocument(), nullable=False),
    sa.Column('references', JsonDocument(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('interacting_activity_id', sa.Uuid(), nullable=True),
    sa.Column('allergy_id', sa.Uuid(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('overridden_by', sa.Uuid(), nullable=True),
    sa.Column('prescriber_id', sa.Uuid(), nullable=True),
    sa.Column('detected_at', UTCDateTime(), nullable=False),
    sa.Column('detected_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_medication_alerts_plan_id_care_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medication_alerts'))
    )
    op.create_index(op.f('ix_medication_alerts_patient_id'), 'medication_alerts', ['patient_id'], unique=False)
    op.create_index(op.f('ix_medication_alerts_plan_id'), 'medication_alerts', ['plan_id'], unique=False)

    op.create_table('plan_activities',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.String(length=60), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=True),
    sa.Column('instructions', sa.Text(), nullable=True),
    sa.Column('detail', JsonDocument(), nullable=False),
    sa.Column('ingredient_codes', JsonDocument(), nullable=False),
    sa.Column('next_check_in_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_plan_activities_plan_id_care_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_activities'))
    )
    op.create_index(op.f('ix_plan_activities_next_check_in_at'), 'plan_activities', ['next_check_in_at'], unique=False)
    op.create_index(op.f('ix_plan_activities_patient_id'), 'plan_activities', ['patient_id'], unique=False)
    op.create_index(op.f('ix_plan_activities_plan_id'), 'plan_activities', ['plan_id'], unique=False)

    op.create_table('plan_goals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('target_measure', sa.String(length=200), nullable=True),
    sa.Column('target_detail', sa.String(length=200), nullable=True),
    sa.Column('target_due_date', sa.Date(), nullable=True),
    sa.Column('lifecycle_status', sa.String(length=20), nullable=False),
    sa.Column('achievement_status', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_plan_goals_plan_id_care_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goals'))
    )
    op.create_index(op.f('ix_plan_goals_plan_id'), 'plan_goals', ['plan_id'], unique=False)

    op.create_table('task_history',
    sa.Column('id', BigIntegerKey(), autoincrement=True, nullable=False),
    sa.Column('task_id', sa.Uuid(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_owner_id', sa.Uuid(), nullable=True),
    sa.Column('to_owner_id', sa.Uuid(), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_history_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_history'))
    )
    op.create_index(op.f('ix_task_history_task_id'), 'task_history', ['task_id'], unique=False)

    op.create_table('dose_records',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('activity_id', sa.Uuid(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('scheduled_for', UTCDateTime(), nullable=False),
    sa.Column('taken_at', UTCDateTime(), nullable=True),
    sa.Column('reported_by', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', UTCDateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['plan_activities.id'], name=op.f('fk_dose_records_activity_id_plan_activities')),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_dose_records_plan_id_care_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dose_records')),
    sa.UniqueConstraint('activity_id', 'scheduled_for', name=op.f('uq_dose_records_activity_id_scheduled_for'))
    )
    op.create_index('ix_dose_records_activity_scheduled', 'dose_records', ['activity_id', 'outcome', 'scheduled_for'], unique=False)
    op.create_index(op.f('ix_dose_records_patient_id'), 'dose_records', ['patient_id'], unique=False)

def downgrade() -> None:
    op.drop_index(op.f('ix_dose_records_patient_id'), table_name='dose_records')
    op.drop_index('ix_dose_records_activity_scheduled', table_name='dose_records')

    op.drop_table('dose_records')
    op.drop_index(op.f('ix_task_history_task_id'), table_name='task_history')

    op.drop_table('task_history')
    op.drop_index(op.f('ix_plan_goals_plan_id'), table_name='plan_goals')

    op.drop_table('plan_goals')
    op.drop_index(op.f('ix_plan_activities_plan_id'), table_name='plan_activities')
    op.drop_index(op.f('ix_plan_activities_patient_id'), table_name='plan_activities')
    op.drop_index(op.f('ix_plan_activities_next_check_in_at'), table_name='plan_activities')

    op.drop_table('plan_activities')
    op.drop_index(op.f('ix_medication_alerts_plan_id'), table_name='medication_alerts')
    op.drop_index(op.f('ix_medication_alerts_patient_id'), table_name='medication_alerts')

    op.drop_table('medication_alerts')
    op.drop_index(op.f('ix_check_ins_patient_id'), table_name='check_ins')

    op.drop_table('check_ins')
    op.drop_table('care_plan_versions')
    op.drop_index('ix_tasks_status_due_at', table_name='tasks')
    op.drop_index(op.f('ix_tasks_patient_id'), table_name='tasks')
    op.drop_index(op.f('ix_tasks_owner_id'), table_name='tasks')

    op.drop_table('tasks')
    op.drop_table('patient_projection')
    op.drop_index(op.f('ix_parked_events_patient_id'), table_name='parked_events')

    op.drop_table('parked_events')
    op.drop_index(op.f('ix_care_plans_patient_id'), table_name='care_plans')

    op.drop_table('care_plans')
    op.drop_index(op.f('ix_allergy_projection_patient_id'), table_name='allergy_projection')

    op.drop_table('allergy_projection')
