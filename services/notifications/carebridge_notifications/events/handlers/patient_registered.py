"""A new patient: how to reach them and in which words."""
from ...service_layer.projections import store_patient


def remember_patient(session, event):
    store_patient(session, event.data)
