from ...service_layer import patients
from ...service_layer.deactivation import retire_patient

DEACTIVATED = frozenset({"inactive", "deceased"})


def follow_patient_status(session, event):
    """Keep the patient's status; a patient no longer active loses their
    future appointments (each cancellation announced). An update older than
    what is held changes nothing."""
    data = event.data
    applied, _previous = patients.record_patient(session, patient_id=data["patient_id"], status=data["status"],
                                                 time_zone=data["time_zone"], revision=data["revision"],
                                                 clinical_setting=data.get("clinical_setting"),
                                                 facility_location_id=data.get("facility_location_id"))
    if applied and data["status"] in DEACTIVATED:
        retire_patient(session, data["patient_id"])
