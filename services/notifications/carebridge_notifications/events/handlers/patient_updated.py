"""A patient's reachability changed (contact points, language, quiet hours, SMS consent, status)."""
from ...service_layer.projections import store_patient
from ..subscriptions import subscriptions


@subscriptions.handler("patients.patient-updated", version=1)
def update_patient(session, event):
    store_patient(session, event.data)
