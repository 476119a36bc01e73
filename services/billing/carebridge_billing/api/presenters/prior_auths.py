"""Prior authorizations shaped for the API."""
from __future__ import annotations

from ...persistence.prior_auths import PriorAuthorization
from ..fields import reasons


def prior_auth_body(prior_auth: PriorAuthorization) -> dict:
    return {
        "id": prior_auth.id, "patient_id": prior_auth.patient_id, "coverage_id": prior_auth.coverage_id,
        "payer_id": prior_auth.payer_id, "plan_id": prior_auth.plan_id, "service_code": prior_auth.service_code,
        "appointment_id": prior_auth.appointment_id, "status": prior_auth.status,
        "requested_units": prior_auth.requested_units, "authorized_units": prior_auth.authorized_units,
        "units_used": prior_auth.units_in_state("used"), "units_reserved": prior_auth.units_in_state("reserved"),
        "expires_on": prior_auth.expires_on, "payer_reference": prior_auth.payer_reference,
        "reasons": reasons(prior_auth.reason_codes),
        "allocations": [{"appointment_id": a.appointment_id, "state": a.state, "service_date": a.service_date}
                        for a in prior_auth.allocations],
        "submitted_at": prior_auth.submitted_at, "submission_attempts": prior_auth.submission_attempts,
        "last_error": prior_auth.last_error, "next_action_at": prior_auth.next_action_at,
        "decided_at": prior_auth.decided_at, "opened_by": prior_auth.opened_by, "version": prior_auth.version,
        "created_at": prior_auth.created_at, "updated_at": prior_auth.updated_at,
    }
