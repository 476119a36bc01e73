"""A relative or caregiver: contact points and what they consent to hear."""
from ...service_layer.projections import store_related_person
from ..subscriptions import subscriptions


@subscriptions.handler("patients.related-person-changed", version=1)
def update_related_person(session, event):
    store_related_person(session, event.data)
