"""monitoring.triage-recorded: an emergency or same-day disposition opens an
urgent task for the team; "book within days" adds a follow-up visit with
that window to the active care plan (and so to scheduling's to-book list);
unknown patient: parked."""
from ...service_layer import monitoring
from ..parking import parking_unknown_references


def open_triage_task(session, event) -> None:
    with parking_unknown_references(session, event):
        monitoring.triage_recorded(session, event.data, event.id)
