"""billing: coverages, estimates, charges and claims, prior authorizations,
billing issues

Revision ID: billing_0001
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db import JsonDocument, MoneyAmount, UTCDateTime

revision = "billing_0001"
down_revision = None
branch_labels = ("billing",)
depends_on = None


def _created_updated():
    return [sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.Column("updated_at", UTCDateTime(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "coverages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("payer_id", sa.String(60), nullable=False),
        sa.Column("plan_id", sa.String(60), nullable=False),
        sa.Column("member_id", sa.String(60), nullable=False),
        sa.Column("group_id", sa.String(60), nullable=True),
        sa.Column("subscriber_member_id", sa.String(60), nullable=True),
        sa.Column("relationship_to_subscriber", sa.String(20), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("effective_start", sa.Date(), nullable=False),
        sa.Column("effective_end", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("coinsurance_percent", MoneyAmount(), nullable=False),
        sa.Column("deductible", MoneyAmount(), nullable=False),
        sa.Column("out_of_pocket_max", MoneyAmount(), nullable=False),
        sa.Column("plan_year_start_month", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        *_created_updated(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_coverages"),
    )
    op.create_index("ix_coverages_patient_id", "coverages", ["patient_id"])
    op.create_index("ix_coverages_patient_priority", "coverages", ["patient_id", "priority"])

    op.create_table(
        "coverage_copays",
        sa.Column("coverage_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("amount", MoneyAmount(), nullable=False),
        sa.ForeignKeyConstraint(["coverage_id"], ["coverages.id"], name="fk_coverage_copays_coverage_id_coverages"),
        sa.PrimaryKeyConstraint("coverage_id", "category", name="pk_coverage_copays"),
    )
    op.create_table(
        "coverage_accumulators",
        sa.Column("coverage_id", sa.Uuid(), nullable=False),
        sa.Column("plan_year_start", sa.Date(), nullable=False),
        sa.Column("deductible_met", MoneyAmount(), nullable=False),
        sa.Column("out_of_pocket_met", MoneyAmount(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["coverage_id"], ["coverages.id"],
                                name="fk_coverage_accumulators_coverage_id_coverages"),
        sa.PrimaryKeyConstraint("coverage_id", "plan_year_start", name="pk_coverage_accumulators"),
    )
    op.create_table(
        "eligibility_checks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("coverage_id", sa.Uuid(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("reason_code", sa.String(40), nullable=True),
        sa.Column("checked_by", sa.String(200), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["coverage_id"], ["coverages.id"],
                                name="fk_eligibility_checks_coverage_id_coverages"),
        sa.PrimaryKeyConstraint("id", name="pk_eligibility_checks"),
    )
    op.create_index("ix_eligibility_checks_coverage_id", "eligibility_checks", ["coverage_id"])

    op.create_table(
        "estimates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("coverage_id", sa.Uuid(), nullable=True),
        sa.Column("service_code", sa.String(20), nullable=False),
        sa.Column("appointment_type_code", sa.String(60), nullable=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("charge", MoneyAmount(), nullable=False),
        sa.Column("copay", MoneyAmount(), nullable=False),
        sa.Column("deductible", MoneyAmount(), nullable=False),
        sa.Column("coinsurance", MoneyAmount(), nullable=False),
        sa.Column("patient_pays", MoneyAmount(), nullable=False),
        sa.Column("plan_pays", MoneyAmount(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["coverage_id"], ["coverages.id"], name="fk_estimates_coverage_id_coverages"),
        sa.PrimaryKeyConstraint("id", name="pk_estimates"),
    )
    op.create_index("ix_estimates_patient_id", "estimates", ["patient_id"])

    op.create_table(
        "prior_authorizations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("coverage_id", sa.Uuid(), nullable=False),
        sa.Column("payer_id", sa.String(60), nullable=False),
        sa.Column("plan_id", sa.String(60), nullable=False),
        sa.Column("service_code", sa.String(20), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=True),
        sa.Column("requested_units", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("authorized_units", sa.Integer(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("payer_reference", sa.String(60), nullable=True),
        sa.Column("reason_codes", JsonDocument(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("submission_attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(120), nullable=True),
        sa.Column("next_action_at", UTCDateTime(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("opened_by", sa.String(200), nullable=False),
        *_created_updated(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["coverage_id"], ["coverages.id"],
                                name="fk_prior_authorizations_coverage_id_coverages"),
        sa.PrimaryKeyConstraint("id", name="pk_prior_authorizations"),
    )
    op.create_index("ix_prior_authorizations_patient_id", "prior_authorizations", ["patient_id"])
    op.create_index("ix_prior_auths_due", "prior_authorizations", ["status", "next_action_at"])
    op.create_index("ix_prior_auths_lookup", "prior_authorizations", ["patient_id", "service_code", "status"])

    op.create_table(
        "prior_auth_allocations",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("prior_auth_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["prior_auth_id"], ["prior_authorizations.id"],
                                name="fk_prior_auth_allocations_prior_auth_id_prior_authorizations"),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_prior_auth_allocations"),
    )
    op.create_index("ix_prior_auth_allocations_prior_auth_id", "prior_auth_allocations", ["prior_auth_id"])

    op.create_table(
        "prior_auth_warnings",
        sa.Column("prior_auth_id", sa.Uuid(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["prior_auth_id"], ["prior_authorizations.id"],
                                name="fk_prior_auth_warnings_prior_auth_id_prior_authorizations"),
        sa.PrimaryKeyConstraint("prior_auth_id", "days_before", name="pk_prior_auth_warnings"),
    )
    op.create_table(
        "appointment_states",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_appointment_states"),
    )

    op.create_table(
        "claims",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("coverage_id", sa.Uuid(), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=True),
        sa.Column("prior_auth_id", sa.Uuid(), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submission_kind", sa.String(10), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("billed", MoneyAmount(), nullable=False),
        sa.Column("paid", MoneyAmount(), nullable=True),
        sa.Column("copay", MoneyAmount(), nullable=True),
        sa.Column("deductible", MoneyAmount(), nullable=True),
        sa.Column("coinsurance", MoneyAmount(), nullable=True),
        sa.Column("reason_codes", JsonDocument(), nullable=False),
        sa.Column("payer_claim_id", sa.String(60), nullable=True),
        sa.Column("submission_attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(120), nullable=True),
        sa.Column("next_action_at", UTCDateTime(), nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("appeal_count", sa.Integer(), nullable=False),
        *_created_updated(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["coverage_id"], ["coverages.id"], name="fk_claims_coverage_id_coverages"),
        sa.ForeignKeyConstraint(["prior_auth_id"], ["prior_authorizations.id"],
                                name="fk_claims_prior_auth_id_prior_authorizations"),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    op.create_index("ix_claims_patient_id", "claims", ["patient_id"])
    op.create_index("ix_claims_coverage_id", "claims", ["coverage_id"])
    op.create_index("ix_claims_due", "claims", ["status", "next_action_at"])

    op.create_table(
        "claim_status_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("reason_codes", JsonDocument(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_claim_status_changes_claim_id_claims"),
        sa.PrimaryKeyConstraint("id", name="pk_claim_status_changes"),
    )
    op.create_index("ix_claim_status_changes_claim_id", "claim_status_changes", ["claim_id"])

    op.create_table(
        "charges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=True),
        sa.Column("service_code", sa.String(20), nullable=False),
        sa.Column("appointment_type_code", sa.String(60), nullable=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("amount", MoneyAmount(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=True),
        sa.Column("prior_auth_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_charges_claim_id_claims"),
        sa.ForeignKeyConstraint(["prior_auth_id"], ["prior_authorizations.id"],
                                name="fk_charges_prior_auth_id_prior_authorizations"),
        sa.PrimaryKeyConstraint("id", name="pk_charges"),
        # One charge per visit, whatever arrives twice.
        sa.UniqueConstraint("appointment_id", name="uq_charges_appointment_id"),
    )
    op.create_index("ix_charges_patient_id", "charges", ["patient_id"])
    op.create_index("ix_charges_claim_id", "charges", ["claim_id"])

    op.create_table(
        "billing_issues",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=True),
        sa.Column("charge_id", sa.Uuid(), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("resolution", sa.String(20), nullable=True),
        sa.Column("resolved_by", sa.String(200), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_billing_issues_claim_id_claims"),
        sa.ForeignKeyConstraint(["charge_id"], ["charges.id"], name="fk_billing_issues_charge_id_charges"),
        sa.PrimaryKeyConstraint("id", name="pk_billing_issues"),
    )
    op.create_index("ix_billing_issues_patient_id", "billing_issues", ["patient_id"])
    op.create_index("ix_billing_issues_status", "billing_issues", ["status"])
    op.create_index("ix_billing_issues_assignee_id", "billing_issues", ["assignee_id"])

    op.create_table(
        "billing_issue_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("issue_id", sa.Uuid(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["issue_id"], ["billing_issues.id"],
                                name="fk_billing_issue_notes_issue_id_billing_issues"),
        sa.PrimaryKeyConstraint("id", name="pk_billing_issue_notes"),
    )
    op.create_index("ix_billing_issue_notes_issue_id", "billing_issue_notes", ["issue_id"])


def downgrade() -> None:
    for table in ("billing_issue_notes", "billing_issues", "charges", "claim_status_changes", "claims",
                  "appointment_states", "prior_auth_warnings", "prior_auth_allocations",
                  "prior_authorizations", "estimates", "eligibility_checks", "coverage_accumulators",
                  "coverage_copays", "coverages"):
        op.drop_table(table)
