"""The gunicorn worker of every CareBridge API: gunicorn's threaded worker,
except that a worker already holding more connections than it has threads
lets an idle sibling take the next one.

Gunicorn's workers all wait on one shared listening socket and the kernel
wakes every one of them for a new connection; whichever calls accept() first
gets it, and a keep-alive connection then stays with that worker for good.
When a client or proxy opens its pool of connections at once, most of them
often land on one worker: `ss` showed 28 of 32 on one of two workers, whose
requests then queued behind each other while the other worker idled (p99
114 ms against 66 ms with an even split, on the patient read benchmark).

Like nginx's accept_disabled, a worker past that point waits a moment
before each further accept, so that a sibling with free threads takes the
connection first; if none does, the waiting worker still accepts it, a
moment later. Connections are never refused or dropped for it: they wait in
the shared socket's backlog, as always. (`--reuse-port`, the other way to
spread connections, gives each worker a socket of its own, and the
connections queued on it are reset when that worker restarts.)

`accept` and `nr_conns` are gunicorn's own (27.0.1, pinned in
constraints.txt); shared/tests/unit/test_gunicorn_worker.py fails if an
upgrade stops the spreading.
"""
from __future__ import annotations

import time

from gunicorn.workers.gthread import ThreadWorker

# Long enough for a sibling woken by the same connection to reach accept()
# first, short enough not to matter to the connection that waits.
ACCEPT_DEFERRAL_SECONDS = 0.0005


class BalancingThreadWorker(ThreadWorker):
    def accept(self, listener):
        if self.nr_conns >= self.cfg.threads:
            time.sleep(ACCEPT_DEFERRAL_SECONDS)
        super().accept(listener)
