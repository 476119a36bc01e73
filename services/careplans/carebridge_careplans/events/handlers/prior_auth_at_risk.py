"""billing.prior-auth-decided (denied, expired) and billing.prior-auth-expiring:
a task for the team's lead coordinator; unknown patient: parked."""
from ...service_layer import authorizations
from ..parking import parking_unknown_references

AT_RISK_DECISIONS = frozenset({"denied", "expired"})


def open_task_for_decision(session, event) -> None:
    if event.data["status"] in AT_RISK_DECISIONS:
        with parking_unknown_references(session, event):
            authorizations.prior_auth_at_risk(session, event.data, event.data["status"])


def open_task_before_expiry(session, event) -> None:
    with parking_unknown_references(session, event):
        authorizations.prior_auth_at_risk(session, event.data, "expiring")
