"""Periodic sweeps the worker runs (several workers may run them at once:
each sweep claims its rows with conditional UPDATEs)."""
from __future__ import annotations

import logging
from typing import Callable

from carebridge import clock, context
from carebridge.service import PeriodicJob

log = logging.getLogger(__name__)


def periodic_sweep(name: str, every: float, sweep: Callable, done: str) -> PeriodicJob:
    """A job running `sweep(session, now) -> count` in one transaction, with a
    correlation id of its own per run; it logs only when it did something."""
    def run(runtime) -> int:
        with context.acting():
            with runtime.db.transaction() as session:
                count = sweep(session, clock.now())
        if count:
            log.info(done, extra={"count": count, "job": name})
        return count
    return PeriodicJob(name, every=every, run=run)
