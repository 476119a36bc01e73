"""scheduling.appointment-cancelled: the visit gives back the authorization
unit it held; a request opened only for cancelled visits is withdrawn (kept
open when the visit is cancelled to be rebooked)."""
from ...service_layer.visits import visit_cancelled


def release_prior_authorization(session, event):
    visit_cancelled(session, appointment_id=event.data["appointment_id"],
                    rescheduled=event.data["reason_code"] == "rescheduled")
