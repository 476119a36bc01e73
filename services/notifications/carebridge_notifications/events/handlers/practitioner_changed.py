"""The staff directory entry of a practitioner (role, contact points, time zone, active)."""
from ...service_layer.projections import store_practitioner


def update_staff_directory(session, event):
    store_practitioner(session, event.data)
