"""Patients, practitioners, care teams and their memberships, related persons, allergies.

Revision ID: patients_0001
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import JsonDocument, UTCDateTime

revision = "patients_0001"
down_revision = None
branch_labels = ("patients",)
depends_on = None


def _stamps():
    return [sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.Column("updated_at", UTCDateTime(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("mrn", sa.String(64), nullable=False),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("middle_name", sa.String(100), nullable=True),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("preferred_name", sa.String(100), nullable=True),
        sa.Column("search_name", sa.String(420), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("administrative_sex", sa.String(10), nullable=False),
        sa.Column("gender_identity", sa.String(30), nullable=True),
        sa.Column("contact_points", JsonDocument(), nullable=False),
        sa.Column("address", JsonDocument(), nullable=True),
        sa.Column("preferred_language", sa.String(35), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("communication", JsonDocument(), nullable=False),
        sa.Column("clinical_setting", sa.String(30), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("deceased_at", UTCDateTime(), nullable=True),
        *_stamps(),
        sa.CheckConstraint("status IN ('active', 'inactive', 'deceased')", name=op.f("ck_patients_status_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("mrn", name=op.f("uq_patients_mrn")),
    )
    op.create_index(op.f("ix_patients_birth_date"), "patients", ["birth_date"])
    op.create_index(op.f("ix_patients_search_name"), "patients", ["search_name"])
    op.create_index(op.f("ix_patients_status"), "patients", ["status"])

    op.create_table(
        "practitioners",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("search_name", sa.String(210), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("specialty", sa.String(80), nullable=True),
        sa.Column("npi", sa.String(10), nullable=True),
        sa.Column("contact_points", JsonDocument(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("preferred_language", sa.String(35), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioners")),
        sa.UniqueConstraint("npi", name=op.f("uq_practitioners_npi")),
    )
    op.create_index(op.f("ix_practitioners_role"), "practitioners", ["role"])
    op.create_index(op.f("ix_practitioners_search_name"), "practitioners", ["search_name"])

    op.create_table(
        "allergies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("substance_system", sa.String(12), nullable=False),
        sa.Column("substance_code", sa.String(64), nullable=False),
        sa.Column("substance_name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(12), nullable=False),
        sa.Column("criticality", sa.String(20), nullable=True),
        sa.Column("severity", sa.String(10), nullable=True),
        sa.Column("reaction", sa.String(500), nullable=True),
        sa.Column("clinical_status", sa.String(10), nullable=False),
        sa.Column("verification_status", sa.String(20), nullable=False),
        sa.Column("onset_date", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_allergies_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allergies")),
    )
    op.create_index("ix_allergies_patient_substance", "allergies", ["patient_id", "substance_system", "substance_code"])

    op.create_table(
        "care_teams",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("category", sa.String(60), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("lead_coordinator_id", sa.Uuid(), nullable=True),
        *_stamps(),
        sa.CheckConstraint("status IN ('proposed', 'active', 'suspended', 'inactive')",
                           name=op.f("ck_care_teams_status_known")),
        sa.ForeignKeyConstraint(["lead_coordinator_id"], ["practitioners.id"],
                                name=op.f("fk_care_teams_lead_coordinator_id_practitioners")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_care_teams_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_teams")),
    )
    op.create_index(op.f("ix_care_teams_patient_id"), "care_teams", ["patient_id"])

    op.create_table(
        "related_persons",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("relationship", sa.String(20), nullable=False),
        sa.Column("contact_points", JsonDocument(), nullable=False),
        sa.Column("preferred_language", sa.String(35), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=True),
        sa.Column("communication", JsonDocument(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("consent_appointments", sa.Boolean(), nullable=False),
        sa.Column("consent_care_plan", sa.Boolean(), nullable=False),
        sa.Column("consent_billing", sa.Boolean(), nullable=False),
        sa.Column("consent_recorded_by", sa.Uuid(), nullable=True),
        sa.Column("consent_recorded_at", UTCDateTime(), nullable=True),
        sa.Column("consent_withdrawn_by", sa.Uuid(), nullable=True),
        sa.Column("consent_withdrawn_at", UTCDateTime(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_related_persons_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_related_persons")),
    )
    op.create_index(op.f("ix_related_persons_patient_id"), "related_persons", ["patient_id"])

    op.create_table(
        "care_team_memberships",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("care_team_id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("period_start", UTCDateTime(), nullable=False),
        sa.Column("period_end", UTCDateTime(), nullable=True),
        *_stamps(),
        sa.CheckConstraint("period_end IS NULL OR period_end >= period_start",
                           name=op.f("ck_care_team_memberships_period_in_order")),
        sa.ForeignKeyConstraint(["care_team_id"], ["care_teams.id"],
                                name=op.f("fk_care_team_memberships_care_team_id_care_teams")),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioners.id"],
                                name=op.f("fk_care_team_memberships_practitioner_id_practitioners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_team_memberships")),
    )
    op.create_index(op.f("ix_care_team_memberships_care_team_id"), "care_team_memberships", ["care_team_id"])
    op.create_index(op.f("ix_care_team_memberships_practitioner_id"), "care_team_memberships", ["practitioner_id"])


def downgrade() -> None:
    for table in ("care_team_memberships", "related_persons", "care_teams", "allergies", "practitioners", "patients"):
        op.drop_table(table)
