from ...service_layer import patients


def remember_patient(session, event):
    """Scheduling books only for patients it knows (and knows to be active)."""
    data = event.data
    patients.record_patient(session, patient_id=data["patient_id"], status=data["status"],
                            time_zone=data["time_zone"], revision=data["revision"],
                            clinical_setting=data.get("clinical_setting"),
                            facility_location_id=data.get("facility_location_id"))
