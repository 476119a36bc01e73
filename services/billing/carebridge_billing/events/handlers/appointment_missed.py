"""scheduling.appointment-missed: a no-show gives back the authorization
unit it held (the request stays open for the rebooking)."""
from ...service_layer.visits import visit_missed


def release_prior_authorization_unit(session, event):
    visit_missed(session, appointment_id=event.data["appointment_id"])
