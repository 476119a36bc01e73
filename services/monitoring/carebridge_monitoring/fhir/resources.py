"""Mappings from the monitoring service's rows to FHIR R4: a reading as an
Observation of the vital-signs profile (LOINC code, value in its UCUM unit;
blood pressure as the panel with systolic and diastolic components) and an
alert as a Flag (its rule, its severity as the flag-priority extension,
active while open). Plain functions; no access rules, no Flask."""
from __future__ import annotations

from decimal import Decimal

from carebridge.fhir.elements import codeable, coding, compact, instant, meta, period, reference

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PROFILE = "http://hl7.org/fhir/StructureDefinition/"
# measure -> (LOINC code, display, profile of FHIR's vital signs; None: not a vital sign)
LOINC = {
    "blood-pressure": ("85354-9", "Blood pressure panel with all children optional", "bp"),
    "heart-rate": ("8867-4", "Heart rate", "heartrate"),
    "weight": ("29463-7", "Body weight", "bodyweight"),
    "spo2": ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "oxygensat"),
    "temperature": ("8310-5", "Body temperature", "bodytemp"),
    "blood-glucose": ("2339-0", "Glucose [Mass/volume] in Blood", None),
}
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")
# FHIR's vital-signs profile wants SpO2 coded 2708-6 as well.
SPO2_ALSO = ("2708-6", "Oxygen saturation in Arterial blood")
# UCUM units as people read them.
UNIT_DISPLAY = {"mm[Hg]": "mmHg", "/min": "beats/minute", "kg": "kg", "%": "%", "Cel": "Cel", "mg/dL": "mg/dL"}

FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
FLAG_PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority"
FLAG_PRIORITY_CODES = "http://hl7.org/fhir/flag-priority-code"
# alert severity -> (flag priority code, display)
PRIORITIES = {"critical": ("PH", "High priority"), "urgent": ("PM", "Medium priority"),
              "warning": ("PL", "Low priority")}


def measure_of_loinc(code: str) -> list[str]:
    """The measures a LOINC code (a search's `code`) names."""
    found = [measure for measure, (loinc, _, _) in LOINC.items() if loinc == code]
    if code in (SYSTOLIC[0], DIASTOLIC[0]):
        found.append("blood-pressure")
    if code == SPO2_ALSO[0]:
        found.append("spo2")
    return found or [code]


def quantity(value: Decimal | None, unit: str) -> dict | None:
    if value is None:
        return None
    number = float(value)
    return {"value": int(number) if number == int(number) else number, "unit": UNIT_DISPLAY.get(unit, unit),
            "system": "http://unitsofmeasure.org", "code": unit}


def _loinc(code: str, display: str) -> dict:
    return coding("loinc", code, display)


def observation_resource(reading) -> dict:
    code, display, profile = LOINC[reading.measure]
    codings = [_loinc(code, display)]
    if reading.measure == "spo2":
        codings.append(_loinc(*SPO2_ALSO))
    category = ("vital-signs", "Vital Signs") if profile else ("laboratory", "Laboratory")
    resource = {
        "resourceType": "Observation",
        "id": str(reading.id),
        "meta": meta(1, reading.received_at, PROFILE + profile if profile else None),
        "status": "final",
        "category": [codeable(coding(OBSERVATION_CATEGORY, *category))],
        "code": codeable(*codings, text=display),
        "subject": reference("Patient", reading.patient_id),
        "effectiveDateTime": instant(reading.taken_at),
        "issued": instant(reading.received_at),
        "device": {"identifier": {"system": "urn:carebridge:device-serial", "value": reading.device_serial}},
    }
    if reading.measure == "blood-pressure":
        resource["component"] = [
            {"code": codeable(_loinc(*SYSTOLIC), text=SYSTOLIC[1]), "valueQuantity": quantity(reading.value, reading.unit)},
            {"code": codeable(_loinc(*DIASTOLIC), text=DIASTOLIC[1]),
             "valueQuantity": quantity(reading.value2, reading.unit)},
        ]
    else:
        resource["valueQuantity"] = quantity(reading.value, reading.unit)
    return compact(resource)


def flag_resource(alert) -> dict:
    priority = PRIORITIES.get(alert.severity)
    return compact({
        "resourceType": "Flag",
        "id": str(alert.id),
        "meta": meta(alert.version, alert.closed_at or alert.opened_at),
        "extension": [{"url": FLAG_PRIORITY, "valueCodeableConcept": codeable(
            coding(FLAG_PRIORITY_CODES, *priority), text=alert.severity)}] if priority else [],
        "status": "active" if alert.status == "open" else "inactive",
        "category": [codeable(coding(FLAG_CATEGORY, "clinical", "Clinical"))],
        "code": codeable(coding("monitoring-rule", alert.rule_code),
                         text=f"Monitoring alert: {alert.rule_code} ({alert.severity})"),
        "subject": reference("Patient", alert.patient_id),
        "period": period(alert.opened_at, alert.closed_at),
    })
