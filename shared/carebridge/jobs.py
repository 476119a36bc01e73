"""Periodic jobs: work a service's worker repeats (sweeps for missed
appointments, reminders, overdue tasks, payer submissions...).

A job is always a `PeriodicJob(name, every=seconds, run=func)`, listed in
the service's `jobs/__init__.py` and named on its `ServiceDefinition`.
`run(runtime)` must be safe with several workers running it at once: it
claims its rows in the database (conditional UPDATE, `FOR UPDATE SKIP
LOCKED`, unique keys). Two ready-made `run` functions cover the usual cases:

    OVERDUE_TASKS = PeriodicJob("overdue-tasks", every=60,
                                run=sweep(announce_overdue_tasks, done="overdue tasks announced"))

    PAYER_SUBMISSIONS = PeriodicJob("payer-submissions", every=15, run=row_by_row(
        [(next_claim_to_send, send_claim)], done="sent submissions to the payer"))

`sweep(func)`: `func(session, now) -> count` in one transaction.
`row_by_row(steps)`: each claimed row in a transaction of its own, so that
one failing row neither undoes the others nor stops the run.
Each unit of work gets a correlation id of its own (for its events and
logs), and a run logs only when it did something, so an idle job is quiet.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from . import clock, context

log = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    name: str
    every: float
    run: Callable[..., Any]


def sweep(func: Callable, *, done: str) -> Callable[..., int]:
    """A job's `run`: `func(session, now) -> count` in one transaction."""
    def run(runtime) -> int:
        with context.acting(), runtime.db.transaction() as session:
            count = func(session, clock.now())
        if count:
            log.info(done, extra={"count": count, "job": getattr(func, "__name__", "sweep")})
        return count
    return run


def row_by_row(steps: Iterable[tuple[Callable, Callable]], *, done: str, limit: int = 100
               ) -> Callable[..., int]:
    """A job's `run` over pairs of `next_row(session, now, skip) -> row or
    None` (claims the next due row whose id is not in `skip`) and
    `work(session, row)`; each row in its own transaction, at most `limit`
    rows per step and run. A row whose work fails is logged and left for the
    next run."""
    steps = list(steps)

    def run(runtime) -> int:
        worked = sum(_rows(runtime, next_row, work, limit) for next_row, work in steps)
        if worked:
            log.info(done, extra={"count": worked})
        return worked
    return run


def _rows(runtime, next_row: Callable, work: Callable, limit: int) -> int:
    done: set = set()
    worked = 0
    while len(done) < limit:
        row_id = None
        with context.acting():
            try:
                with runtime.db.transaction() as session:
                    row = next_row(session, clock.now(), done)
                    if row is None:
                        return worked
                    row_id = row.id
                    done.add(row_id)
                    work(session, row)
                worked += 1
            except Exception:
                if row_id is None:
                    raise
                log.exception("a periodic job could not deal with one row; it is tried again next run",
                              extra={"resource_id": str(row_id)})
    return worked
