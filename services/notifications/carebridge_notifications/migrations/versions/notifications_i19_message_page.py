"""The secure message page: answers, rate-limit counts, and the choice of message detail.

Revision ID: notifications_i19_message_page
Revises: notifications_0001
Create Date: 2026-12-06 21:18:21.636390
"""
from alembic import op
import sqlalchemy as sa
import carebridge.db.types


revision = 'notifications_i19_message_page'
down_revision = 'notifications_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('message_page_visits',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('link_key', sa.String(length=40), nullable=False),
    sa.Column('address_key', sa.String(length=40), nullable=False),
    sa.Column('at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_page_visits'))
    )
    with op.batch_alter_table('message_page_visits', schema=None) as batch_op:
        batch_op.create_index('ix_message_page_visits_address', ['address_key', 'at'], unique=False)
        batch_op.create_index('ix_message_page_visits_link', ['link_key', 'at'], unique=False)

    op.create_table('message_answers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('notification_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=True),
    sa.Column('recipient_type', sa.String(length=20), nullable=False),
    sa.Column('recipient_id', sa.Uuid(), nullable=False),
    sa.Column('answer', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('appointment_id', sa.Uuid(), nullable=True),
    sa.Column('answered_at', carebridge.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_message_answers_notification_id_notifications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_answers')),
    sa.UniqueConstraint('notification_id', name=op.f('uq_message_answers_notification_id'))
    )
    with op.batch_alter_table('message_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_answers_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_detail', sa.String(length=10), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_column('message_detail')

    with op.batch_alter_table('message_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_answers_patient_id'))

    op.drop_table('message_answers')
    with op.batch_alter_table('message_page_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_message_page_visits_link')
        batch_op.drop_index('ix_message_page_visits_address')

    op.drop_table('message_page_visits')
