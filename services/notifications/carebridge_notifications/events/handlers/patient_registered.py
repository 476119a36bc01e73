"""A new patient: how to reach them and in which words."""
from ...service_layer.projections import store_patient
from ..subscriptions import subscriptions


@subscriptions.handler("patients.patient-registered", version=1)
def remember_patient(session, event):
    store_patient(session, event.data)
