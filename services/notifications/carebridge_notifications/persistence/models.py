"""The notifications service's tables (its own database; no other service reads them)."""
from .base import Base
from .duty_rota import DutyShift
from .escalations import Escalation, EscalationStep
from .message_page import MessageAnswer, MessagePageVisit
from .notifications import Delivery, Notification
from .preferences import Preference
from .recipients import PatientRecipient, PractitionerRecipient, RelatedPersonRecipient, StaffInTraining
from .webhook_subscriptions import WebhookSubscription

__all__ = ["Base", "DutyShift", "Escalation", "EscalationStep", "Delivery", "MessageAnswer", "MessagePageVisit", "Notification", "Preference", "PatientRecipient",
           "PractitionerRecipient", "RelatedPersonRecipient", "StaffInTraining", "WebhookSubscription"]
