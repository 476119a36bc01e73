"""monitoring.alert-opened: an urgent task for the team's nurse (else its
coordinator) with the readings behind the alert; unknown patient: parked."""
from ...service_layer import monitoring
from ..parking import parking_unknown_references


def open_alert_task(session, event) -> None:
    with parking_unknown_references(session, event):
        monitoring.alert_opened(session, event.data)
