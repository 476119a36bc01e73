"""notifications.delivery-failed: a message that cannot reach the patient
(bounced, or every attempt failed) becomes a task for the lead coordinator
to check the patient's contact details; one open task per patient and channel."""
from ...service_layer import unreachable


def open_contact_check_task(session, event) -> None:
    unreachable.message_not_delivered(session, event.data)
