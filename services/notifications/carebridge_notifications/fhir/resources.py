"""A notification about a patient as a FHIR R4 Communication: who was told
(recipient), about what (category), how (medium: the channels it went out
on) and whether it arrived (status, from its deliveries). Plain functions;
no access rules, no Flask."""
from __future__ import annotations

from carebridge.fhir.elements import codeable, coding, compact, instant, reference

PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
CHANNEL_MODES = {"inapp": ("ONLINEWRIT", "online written"), "email": ("EMAILWRIT", "email"),
                 "sms": ("WRITTEN", "written"), "webhook": ("ELECTRONIC", "electronic data")}
RECIPIENTS = {"practitioner": "Practitioner", "patient": "Patient", "related-person": "RelatedPerson"}


def communication_status(delivery_statuses: list[str]) -> str:
    """Completed once any channel delivered it (the in-app inbox always
    holds it: a notification without deliveries is there), in progress
    while one is still pending, not done when every one was cancelled,
    stopped when every one failed."""
    if not delivery_statuses or "sent" in delivery_statuses:
        return "completed"
    if "pending" in delivery_statuses:
        return "in-progress"
    if all(status == "cancelled" for status in delivery_statuses):
        return "not-done"
    return "stopped"


def communication_resource(notification) -> dict:
    deliveries = list(notification.deliveries)
    sent = [d.sent_at for d in deliveries if d.sent_at is not None]
    kind = RECIPIENTS.get(notification.recipient_type)
    return compact({
        "resourceType": "Communication",
        "id": str(notification.id),
        "meta": {"lastUpdated": instant(max([notification.created_at, *(d.updated_at for d in deliveries)]))},
        "status": communication_status([d.status for d in deliveries]),
        "category": [codeable(coding("notification-category", notification.category))],
        "priority": notification.urgency,
        "medium": [codeable(coding(PARTICIPATION_MODE, *CHANNEL_MODES[d.channel]), text=d.channel)
                   for d in deliveries if d.channel in CHANNEL_MODES],
        "subject": reference("Patient", notification.patient_id),
        "topic": codeable(text=notification.title),
        "sent": instant(min(sent) if sent else notification.created_at),
        "received": instant(notification.read_at),
        "recipient": [reference(kind, notification.recipient_id)] if kind else [],
        "payload": [{"contentString": notification.body}],
        "reasonCode": [codeable(coding("event-type", notification.source_event_type))],
    })
