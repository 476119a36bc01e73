"""notifications.appointment-answered: a patient or relative cancelled the
visit from the secure message page. The visit is cancelled at the patient's
request, which frees the time and offers it to the waitlist as every
cancellation does (`transitions.change_status`). A visit already cancelled,
past or unknown here is left alone; other answers are careplans' to act on."""
from ...service_layer.message_answers import cancel_on_request


def cancel_when_asked(session, event) -> None:
    if event.data["answer"] == "cancel":
        cancel_on_request(session, event.data)
