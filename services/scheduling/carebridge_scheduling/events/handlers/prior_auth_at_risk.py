"""billing.prior-auth-decided (denied, expired) and billing.prior-auth-expiring:
the booked visits that depend on the authorization are flagged and announced."""
from ...service_layer.authorizations import flag_visits

AT_RISK_DECISIONS = frozenset({"denied", "expired"})


def flag_visits_of_decision(session, event):
    data = event.data
    if data["status"] in AT_RISK_DECISIONS:
        flag_visits(session, patient_id=data["patient_id"], prior_auth_id=data["prior_auth_id"],
                    appointment_ids=data["affected_appointment_ids"], issue=data["status"])


def flag_visits_after_expiry(session, event):
    data = event.data
    flag_visits(session, patient_id=data["patient_id"], prior_auth_id=data["prior_auth_id"],
                appointment_ids=data["affected_appointment_ids"], issue="expiring")
