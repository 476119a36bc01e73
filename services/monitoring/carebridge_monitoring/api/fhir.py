"""/fhir/R4: the monitoring service's records in FHIR R4 (readings as
vital-signs Observations, alerts as Flags), for the clinical readers of its
own API, on the same care-team rules and with the same audit."""
from __future__ import annotations

from carebridge.fhir import FhirResource, FhirSource, SearchParam, fhir_blueprint

from ..domain.measures import MEASURE_CODES
from ..fhir.resources import LOINC, flag_resource, measure_of_loinc, observation_resource
from ..persistence.models import Alert, Reading
from .alerts import RESOURCE as ALERT_RESOURCE
from .readings import RESOURCE as READING_RESOURCE

FLAG_STATUSES = {"active": ["open"], "inactive": ["closed"]}


def _category(code: str) -> list[str]:
    vital = [measure for measure, (_, _, profile) in LOINC.items() if profile]
    return {"vital-signs": vital, "laboratory": [m for m in MEASURE_CODES if m not in vital]}.get(code, [])


blp = fhir_blueprint("monitoring", [
    FhirResource("Observation", audit_type=READING_RESOURCE, sources=(FhirSource(
        Reading, observation_resource, updated=Reading.received_at, patient=Reading.patient_id, params=(
            SearchParam("date", "date", "When the reading was taken", Reading.taken_at),
            SearchParam("code", "token", "LOINC code (85354-9 blood pressure, 8867-4 heart rate, 29463-7 weight, "
                                         "59408-5 SpO2, 8310-5 temperature, 2339-0 glucose)",
                        Reading.measure, codes=measure_of_loinc),
            SearchParam("category", "token", "vital-signs or laboratory (glucose)", Reading.measure,
                        codes=_category))),)),
    FhirResource("Flag", audit_type=ALERT_RESOURCE, sources=(FhirSource(
        Alert, flag_resource, updated=Alert.updated_at, patient=Alert.patient_id, params=(
            SearchParam("date", "date", "When the alert was opened", Alert.opened_at),
            SearchParam("status", "token", "active (open) or inactive (closed)", Alert.status,
                        codes=lambda code: FLAG_STATUSES.get(code, [])))),)),
])
