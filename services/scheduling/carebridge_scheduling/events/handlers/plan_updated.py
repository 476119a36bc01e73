from ...service_layer import booking_requests, plan_links


def list_visits_to_book(session, event):
    """Follow-up visits and therapy courses of the plan go on the "to book"
    list (or leave it when the activity is cancelled or stopped)."""
    booking_requests.apply_plan_update(session, event.data)


def remember_whose_plan(session, event):
    """Whose the plan is: a booking may name only a plan of its own patient."""
    plan_links.remember_plan(session, event.data["plan_id"], event.data["patient_id"])
