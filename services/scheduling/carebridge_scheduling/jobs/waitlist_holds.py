from carebridge.jobs import PeriodicJob, sweep

from ..service_layer.waitlist import expire_holds

# Slots held for a waitlisted patient who did not answer in time pass to the
# next in line.
EXPIRED_WAITLIST_HOLDS = PeriodicJob("release-expired-waitlist-holds", every=30,
                                     run=sweep(expire_holds, done="released expired waitlist holds"))
