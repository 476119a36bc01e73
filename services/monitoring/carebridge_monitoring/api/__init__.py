"""HTTP endpoints of the monitoring service (paths /enrolments, /readings,
/alerts, /monitoring-time, /triage-protocols, /triage-calls, /fhir/R4)."""
from . import alerts, enrolments, fhir, readings, time_entries, triage


def register_api(api) -> None:
    """Register every blueprint of this service on the flask-smorest Api."""
    for module in (enrolments, readings, alerts, time_entries, triage, fhir):
        api.register_blueprint(module.blp)
