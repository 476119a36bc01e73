"""Working through due rows one transaction at a time, so that one failing
row neither undoes the others nor stops the sweep."""
from __future__ import annotations

import logging
from typing import Callable

from carebridge import context

log = logging.getLogger(__name__)


def sweep(runtime, job: str, next_row: Callable, work: Callable, *, limit: int = 100) -> int:
    """`next_row(session, skip)` claims the next row (or None), `work(session,
    row)` deals with it; returns how many rows were worked on. A row whose
    work fails is logged and left for the next run."""
    done: set = set()
    worked = 0
    while len(done) < limit:
        row_id = None
        # Each unit of work starts its own correlation, for its events and logs.
        with context.acting():
            try:
                with runtime.db.transaction() as session:
                    row = next_row(session, done)
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
                              extra={"job": job, "resource_id": str(row_id)})
    return worked


def sweep_steps(runtime, job: str, steps, done: str) -> int:
    """Several sweeps in turn (`steps`: pairs of next_row, work); logs `done`
    with the count only when something was worked on, so an idle job is quiet."""
    worked = sum(sweep(runtime, job, next_row, work) for next_row, work in steps)
    if worked:
        log.info(done, extra={"job": job, "count": worked})
    return worked
