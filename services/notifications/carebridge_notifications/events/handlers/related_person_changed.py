"""A relative or caregiver: contact points and what they consent to hear."""
from ...service_layer.projections import store_related_person


def update_related_person(session, event):
    store_related_person(session, event.data)
