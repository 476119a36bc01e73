from carebridge import clock, context

from .. import settings
from ..service_layer.sweeps import send_reminders


def send_due_reminders(runtime) -> int:
    """appointment-reminder-due, once per appointment, offset and start."""
    with context.acting(), runtime.db.transaction() as session:
        return send_reminders(session, clock.now(), settings.of(runtime).reminder_offsets_minutes)
