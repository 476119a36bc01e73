"""Whether a practitioner is in training: while they are, escalations pass them by."""
from ...service_layer.projections import store_training


def keep_training_flag(session, event):
    store_training(session, event.data)
