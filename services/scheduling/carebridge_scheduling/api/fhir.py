"""/fhir/R4: the scheduling service's records in FHIR R4 (Appointment for
the clinical readers on the care-team rules; Schedule and Location, which
hold no patient's data, for every role, as /schedules and /locations)."""
from __future__ import annotations

from carebridge.auth.roles import CLINICAL_READERS, ROLES
from carebridge.fhir import FhirResource, FhirSource, SearchParam, fhir_blueprint

from ..fhir.resources import appointment_resource, location_resource, schedule_resource
from ..persistence.models import Appointment, Location, Schedule

blp = fhir_blueprint("scheduling", [
    FhirResource("Appointment", audit_type="appointment", roles=CLINICAL_READERS, sources=(FhirSource(
        Appointment, appointment_resource, updated=Appointment.updated_at, patient=Appointment.patient_id, params=(
            SearchParam("status", "token", "booked, arrived, checked-in, fulfilled, cancelled, noshow, ...",
                        Appointment.status),
            SearchParam("date", "date", "When the visit starts", Appointment.start_at),
            SearchParam("practitioner", "reference", "The practitioner seen (Practitioner/<id>)",
                        Appointment.practitioner_id, target="Practitioner"))),)),
    FhirResource("Schedule", audit_type="schedule", patient_data=False, roles=ROLES, sources=(FhirSource(
        Schedule, schedule_resource, updated=Schedule.updated_at, params=(
            SearchParam("actor", "reference", "The practitioner (Practitioner/<id>)", Schedule.practitioner_id,
                        target="Practitioner"),
            SearchParam("active", "token", "true or false", Schedule.active,
                        codes=lambda code: [code == "true"]))),)),
    FhirResource("Location", audit_type="location", patient_data=False, roles=ROLES, sources=(FhirSource(
        Location, location_resource, updated=Location.updated_at, params=(
            SearchParam("identifier", "token", "The location's code", Location.code),)),)),
])
