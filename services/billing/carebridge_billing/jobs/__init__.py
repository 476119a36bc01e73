"""The billing service's periodic jobs (run by its worker)."""
from .monitoring_month_end import MONITORING_MONTH_END
from .payer_status import PAYER_STATUS
from .payer_submissions import PAYER_SUBMISSIONS
from .prior_auth_expiry import PRIOR_AUTH_EXPIRY

JOBS = [PAYER_SUBMISSIONS, PAYER_STATUS, PRIOR_AUTH_EXPIRY, MONITORING_MONTH_END]
