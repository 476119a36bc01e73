"""HTTP endpoints of the billing service, under its own path prefixes:
/coverages, /estimates, /charges, /claims, /prior-authorizations,
/billing-issues, /fee-schedule, /payers."""
from . import charges, claims, coverages, estimates, issues, prior_auths, reference


def register_api(api) -> None:
    """Register every blueprint of this service on the flask-smorest Api."""
    for module in (coverages, estimates, charges, claims, prior_auths, issues, reference):
        module.register(api)
