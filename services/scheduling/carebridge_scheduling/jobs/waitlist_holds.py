from carebridge import clock, context

from ..service_layer.waitlist import expire_holds


def release_expired_holds(runtime) -> int:
    """Slots held for a waitlisted patient who did not answer in time pass
    to the next in line."""
    with context.acting(), runtime.db.transaction() as session:
        return expire_holds(session, clock.now())
