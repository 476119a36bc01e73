from ...service_layer import booking_requests


def list_visits_to_book(session, event):
    """Follow-up visits and therapy courses of the plan go on the "to book"
    list (or leave it when the activity is cancelled or stopped)."""
    booking_requests.apply_plan_update(session, event.data)
