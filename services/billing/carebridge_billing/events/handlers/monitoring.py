"""The monitoring service's enrolments, days with readings and staff minutes:
what the month-end job charges from."""
from ...service_layer import monitoring


def keep_enrolment(session, event) -> None:
    monitoring.keep_enrolment(session, event.data)


def keep_reading_days(session, event) -> None:
    monitoring.keep_days(session, event.data)


def keep_monitoring_minutes(session, event) -> None:
    monitoring.keep_minutes(session, event.data)
