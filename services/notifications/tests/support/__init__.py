"""This suite's own helpers (`import support`): the world of people the tests
notify (`world`), the real SMTP and HTTP servers deliveries go to
(`servers`), and the settings every test runtime starts from."""
from .servers import HttpRecorder, SmtpRecorder, free_port
from .world import (ON_CALL_NURSE, World, apply_burst, audit_since, deliveries, event, notifications,
                    patient_registered, patient_updated, practitioner_changed, related_person_changed,
                    set_preferences, subscribe_webhook, told)

BASE_SETTINGS = {"PORTAL_URL": "https://portal.example.org", "STAFF_INBOX_URL": "https://staff.example.org/inbox",
                 "MESSAGE_PAGE_URL": "https://care.example.org/messages",
                 # Subscriptions made by a test apply to its very next event.
                 "WEBHOOK_SUBSCRIPTIONS_CACHE_SECONDS": "0",
                 "ESCALATION_AFTER_MINUTES": "15"}


def runtime_settings_for(tmp_path, **extra) -> dict:
    """A test's `runtime_settings`: the base settings and `extra` (service
    settings, as strings); email and SMS go to files under the test's folder
    unless `extra` points them elsewhere."""
    return {"data_dir": tmp_path, "extra": {**BASE_SETTINGS, **extra}}


__all__ = ["BASE_SETTINGS", "ON_CALL_NURSE", "HttpRecorder", "SmtpRecorder", "World", "apply_burst", "audit_since",
           "deliveries", "event", "free_port", "notifications", "patient_registered", "patient_updated",
           "practitioner_changed", "related_person_changed", "runtime_settings_for", "set_preferences",
           "subscribe_webhook", "told"]
