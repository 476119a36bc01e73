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

Gunicorn answers a request it cannot even parse (a request line beyond
`limit_request_line`: 414; headers beyond their limits: 431; a malformed
line: 400) itself, before the app; the worker makes that answer
`application/problem+json` like every other error of the API, with a fixed
detail per status (gunicorn's own would quote the request line, query
string included).
"""
from __future__ import annotations

import json
import time

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

# Long enough for a sibling woken by the same connection to reach accept()
# first, short enough not to matter to the connection that waits.
ACCEPT_DEFERRAL_SECONDS = 0.0005


PARSE_ERROR_DETAILS = {
    400: "The request could not be read as HTTP.",
    414: "The request line (the path and query string) is longer than the server accepts.",
    431: "The request's header fields are larger than the server accepts.",
}


def write_problem(sock, status_int, reason, mesg):
    """gunicorn's `util.write_error`, answering application/problem+json."""
    from ..web.problems import _BY_STATUS, TYPE_BASE
    slug, title = _BY_STATUS.get(status_int, ("error", reason))
    detail = PARSE_ERROR_DETAILS.get(status_int, "The server could not handle the request.")
    body = json.dumps({"type": TYPE_BASE + slug, "title": title, "status": status_int,
                       "detail": detail}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin1") + body)


class BalancingThreadWorker(ThreadWorker):
    def init_process(self):
        # gunicorn's handle_error writes through util.write_error.
        util.write_error = write_problem
        super().init_process()

    def accept(self, listener):
        if self.nr_conns >= self.cfg.threads:
            time.sleep(ACCEPT_DEFERRAL_SECONDS)
        super().accept(listener)
