from ...service_layer import patients


def remember_patient(session, event):
    """The patient's time zone (calendar days of readings) and status."""
    patients.remember_patient(session, event.data)
