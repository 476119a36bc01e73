"""The billing service's periodic jobs (run by its worker)."""
from . import payer_status, payer_submissions, prior_auth_expiry

JOBS = [payer_submissions.JOB, payer_status.JOB, prior_auth_expiry.JOB]
