"""/fhir/R4: the billing service's records in FHIR R4 (Coverage; Claim and
ClaimResponse for claims and, with `use = preauthorization`, for prior
authorizations), for billing staff, coordinators and admins as its own API
(billing data proper: not the care team), every access audited."""
from __future__ import annotations

from sqlalchemy import false, select, true

from carebridge.fhir import FhirResource, FhirSource, SearchParam, fhir_blueprint
from carebridge.web import request_session

from ..fhir.resources import (CLAIM_OUTCOMES, PRIOR_AUTH_OUTCOMES, claim_resource, claim_response_resource,
                              coverage_resource, prior_auth_claim_resource, prior_auth_response_resource)
from ..persistence.claims import Claim
from ..persistence.coverages import Coverage
from ..persistence.prior_auths import PriorAuthorization
from .access import BILLING_STAFF

_BILLING = dict(roles=BILLING_STAFF, also_allowed_roles=("billing",))


def _payer_of(claim: Claim) -> str | None:
    coverage = request_session().get(Coverage, claim.coverage_id)
    return coverage.payer_id if coverage is not None else None


def _use(kind: str) -> SearchParam:
    return SearchParam("use", "token", "claim or preauthorization",
                       where=lambda code: true() if code == kind else false())


def _answered_claims():
    return select(Claim).where(Claim.status.in_(tuple(CLAIM_OUTCOMES)))


def _answered_prior_auths():
    return select(PriorAuthorization).where(PriorAuthorization.status.in_(tuple(PRIOR_AUTH_OUTCOMES)))


def _claim_status(code: str):
    return {"draft": Claim.status == "draft", "active": Claim.status != "draft"}.get(code, false())


def _prior_auth_status(code: str):
    return {"cancelled": PriorAuthorization.status == "withdrawn",
            "active": PriorAuthorization.status != "withdrawn"}.get(code, false())


blp = fhir_blueprint("billing", [
    FhirResource("Coverage", audit_type="coverage", sources=(FhirSource(
        Coverage, coverage_resource, updated=Coverage.updated_at, patient=Coverage.patient_id, params=(
            SearchParam("status", "token", "active or cancelled", Coverage.status),)),), **_BILLING),
    FhirResource("Claim", audit_type="claim", sources=(
        FhirSource(Claim, lambda claim: claim_resource(claim, payer_id=_payer_of(claim)), updated=Claim.updated_at,
                   patient=Claim.patient_id, params=(
                       _use("claim"),
                       SearchParam("status", "token", "draft, active or cancelled", where=_claim_status),
                       SearchParam("created", "date", "When the claim was made", Claim.created_at))),
        FhirSource(PriorAuthorization, prior_auth_claim_resource, updated=PriorAuthorization.updated_at,
                   patient=PriorAuthorization.patient_id, params=(
                       _use("preauthorization"),
                       SearchParam("status", "token", "draft, active or cancelled", where=_prior_auth_status),
                       SearchParam("created", "date", "When the claim was made", PriorAuthorization.created_at))),
    ), **_BILLING),
    FhirResource("ClaimResponse", audit_type="claim", sources=(
        FhirSource(Claim, lambda claim: claim_response_resource(claim, payer_id=_payer_of(claim)),
                   updated=Claim.updated_at, patient=Claim.patient_id, base=_answered_claims,
                   params=(_use("claim"),)),
        FhirSource(PriorAuthorization, prior_auth_response_resource, updated=PriorAuthorization.updated_at,
                   patient=PriorAuthorization.patient_id, base=_answered_prior_auths,
                   params=(_use("preauthorization"),)),
    ), **_BILLING),
])
