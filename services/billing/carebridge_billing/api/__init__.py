"""HTTP endpoints of the billing service, under its own path prefixes:
/coverages, /estimates, /charges, /claims, /prior-authorizations,
/billing-issues, /billing-overview, /fee-schedule, /payers."""
from . import charges, claims, coverages, estimates, fhir, issues, overviews, prior_auths, reference
from .fields import Amount


def register_api(api) -> None:
    """Register every blueprint of this service on the flask-smorest Api."""
    # Money travels as a decimal string ("12.30"): document it as one, not
    # as a JSON number (whose bounds would then be strings: an invalid document).
    api.register_field(Amount, "string", "decimal")
    for module in (coverages, estimates, charges, claims, prior_auths, issues, overviews, reference):
        module.register(api)
    api.register_blueprint(fhir.blp)
