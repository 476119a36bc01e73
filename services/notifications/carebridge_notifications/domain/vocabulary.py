"""The words the notifications service speaks: categories, urgencies, who a
notification is for, which channels carry it and what becomes of a delivery."""
from carebridge.events.catalogue.common import CHANNELS

# What a notification is about. A related person's consent (patients service)
# is given per category for the first three; the others concern staff only.
CATEGORIES = ("appointments", "care_plan", "billing", "tasks", "medication_safety")
FAMILY_CONSENT_CATEGORIES = ("appointments", "care_plan", "billing")

ROUTINE, URGENT = "routine", "urgent"
URGENCIES = (ROUTINE, URGENT)

PRACTITIONER, PATIENT, RELATED_PERSON, WEBHOOK = "practitioner", "patient", "related-person", "webhook"
PERSON_TYPES = (PRACTITIONER, PATIENT, RELATED_PERSON)
RECIPIENT_TYPES = (*PERSON_TYPES, WEBHOOK)

INAPP, EMAIL, SMS, WEBHOOK_CHANNEL = "inapp", "email", "sms", "webhook"
assert set(CHANNELS) == {INAPP, EMAIL, SMS, WEBHOOK_CHANNEL}
# Channels a person chooses per category. The in-app inbox always receives
# every notification: email and SMS only point to it.
PUSH_CHANNELS = (EMAIL, SMS)

PENDING, SENT, FAILED, BOUNCED, CANCELLED = "pending", "sent", "failed", "bounced", "cancelled"
DELIVERY_STATUSES = (PENDING, SENT, FAILED, BOUNCED, CANCELLED)
FINAL_FAILURES = (FAILED, BOUNCED)


def audience_kind(recipient_type: str) -> str:
    """Which wording a recipient gets: staff, the patient, or family."""
    return {PRACTITIONER: "staff", PATIENT: "patient", RELATED_PERSON: "family"}[recipient_type]
