"""Things built once per runtime (settings parsed, senders connected) and
kept as long as the runtime lives."""
from __future__ import annotations

import functools
import threading
import weakref


def per_runtime(build):
    cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
    lock = threading.Lock()

    @functools.wraps(build)
    def get(runtime):
        with lock:
            if runtime not in cache:
                cache[runtime] = build(runtime)
            return cache[runtime]

    return get
