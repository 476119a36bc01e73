"""Test support for CareBridge suites (fixtures live in `plugin`)."""
from .databases import database_owner
from .helpers import (assert_problem, audit_trail, care_team_event, care_team_member, check_migrations, deliver,
                      envelope_json, make_event, outbox, patient_scoped_operations, put_on_care_team, wait_for)

__all__ = ["assert_problem", "audit_trail", "care_team_event", "care_team_member", "check_migrations",
           "database_owner", "deliver", "envelope_json", "make_event", "outbox", "patient_scoped_operations",
           "put_on_care_team", "wait_for"]
