"""The periodic jobs every service's worker runs besides its own."""
from __future__ import annotations

from ..audit.checkpoints import checkpoint_job
from ..jobs import PeriodicJob, sweep
from ..service import Runtime
from ..web.concurrency import purge_expired_responses


def kit_jobs(runtime: Runtime) -> list[PeriodicJob]:
    return [
        # Signed heads of the audit chains, where the database role cannot write.
        checkpoint_job(runtime),
        # Stored Idempotency-Key answers are replayed for IDEMPOTENCY_TTL_HOURS only.
        PeriodicJob("expire-idempotency-keys", every=900,
                    run=sweep(purge_expired_responses, done="expired idempotency keys deleted")),
    ]
