from ...service_layer import patients


def follow_patient(session, event):
    """A new time zone moves the day boundaries; a patient who died or left
    has their enrolments ended (and their open alerts closed)."""
    patients.remember_patient(session, event.data)
