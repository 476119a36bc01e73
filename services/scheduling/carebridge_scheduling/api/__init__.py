"""HTTP endpoints of the scheduling service (paths /appointment-types,
/locations, /schedules, /slots, /appointments, /waitlist, /booking-requests)."""
from . import appointment_types, appointments, booking_requests, fhir, locations, schedules, slots, waitlist


def register_api(api) -> None:
    """Register every blueprint of this service on the flask-smorest Api."""
    for module in (appointment_types, locations, schedules, slots, appointments, waitlist, booking_requests, fhir):
        api.register_blueprint(module.blp)
