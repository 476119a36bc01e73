from sqlalchemy import select

from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from . import events  # noqa: F401  (the toy schemas, registered before subscribing to them)
from .models import Counter

class FlakyHandlerError(RuntimeError):
    pass


# Flip to make the failing handler succeed again (a "fixed" bug).
FAULT = {"enabled": True}


def count(session, event):
    if event.data["fail"] and FAULT["enabled"]:
        raise FlakyHandlerError("this handler always fails for this message")
    name = event.data["counter"]
    counter = session.execute(select(Counter).where(Counter.name == name).with_for_update()).scalar()
    if counter is None:
        session.add(Counter(name=name, value=1))
    else:
        counter.value += 1


subscriptions = EventSubscriptions()
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)
subscriptions.subscribe("toys.toy-counted", 1, count)
