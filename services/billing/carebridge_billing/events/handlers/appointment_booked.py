"""scheduling.appointment-booked: a visit whose plan needs prior
authorization for its service holds a unit of a valid authorization, or
opens a request (billing staff hear of it through billing.prior-auth-requested)."""
from ...service_layer.visits import visit_booked


def check_prior_authorization(session, event):
    data = event.data
    visit_booked(session, appointment_id=data["appointment_id"], patient_id=data["patient_id"],
                 service_code=data["service_code"], on=data["start"].date())
