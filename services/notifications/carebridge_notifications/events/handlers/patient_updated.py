"""A patient's reachability changed (contact points, language, quiet hours, SMS consent, status)."""
from ...service_layer.projections import store_patient


def update_patient(session, event):
    store_patient(session, event.data)
