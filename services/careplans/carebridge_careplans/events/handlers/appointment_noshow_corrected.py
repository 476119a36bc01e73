"""scheduling.appointment-noshow-corrected: the patient came after all; the
outreach task the no-show opened is closed."""
from ...service_layer import visits


def close_outreach_task(session, event) -> None:
    visits.noshow_corrected(session, event.data, event.id)
