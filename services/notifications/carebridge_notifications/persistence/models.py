"""The notifications service's tables (its own database; no other service reads them)."""
from .base import Base
from .duty_rota import DutyShift
from .escalations import Escalation, EscalationStep
from .notifications import Delivery, Notification
from .preferences import Preference
from .recipients import PatientRecipient, PractitionerRecipient, RelatedPersonRecipient
from .webhook_subscriptions import WebhookSubscription

__all__ = ["Base", "DutyShift", "Escalation", "EscalationStep", "Delivery", "Notification", "Preference", "PatientRecipient",
           "PractitionerRecipient", "RelatedPersonRecipient", "WebhookSubscription"]
