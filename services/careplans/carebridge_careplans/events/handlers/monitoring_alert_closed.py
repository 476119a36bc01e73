"""monitoring.alert-closed: the alert's task is done."""
from ...service_layer import monitoring


def complete_alert_task(session, event) -> None:
    monitoring.alert_closed(session, event.data)
