from carebridge import clock, context

from .. import settings
from ..service_layer.sweeps import mark_missed


def mark_missed_appointments(runtime) -> int:
    """Booked visits past start + grace without check-in become no-shows."""
    with context.acting(), runtime.db.transaction() as session:
        return mark_missed(session, clock.now(), settings.of(runtime).noshow_grace)
