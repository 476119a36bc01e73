"""The billing service's tables (its own database; no other service reads them)."""
from .base import Base
from .charges import Charge
from .claims import Claim, ClaimStatusChange
from .coverages import Coverage, CoverageCopay, EligibilityCheck, PlanYearAccumulator
from .estimates import Estimate
from .issues import BillingIssue, BillingIssueNote
from .monitoring import MonitoringCharge, MonitoringDay, MonitoringEnrolment, MonitoringMinutes
from .prior_auths import AppointmentState, PriorAuthAllocation, PriorAuthExpiryWarning, PriorAuthorization

__all__ = ["Base", "Charge", "Claim", "ClaimStatusChange", "Coverage", "CoverageCopay", "EligibilityCheck",
           "PlanYearAccumulator", "Estimate", "BillingIssue", "BillingIssueNote", "AppointmentState",
           "PriorAuthAllocation", "PriorAuthExpiryWarning", "PriorAuthorization", "MonitoringCharge", "MonitoringDay",
           "MonitoringEnrolment", "MonitoringMinutes"]
