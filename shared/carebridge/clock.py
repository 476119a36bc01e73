"""The one place CareBridge asks what time it is.

Domain code calls `clock.now()` instead of `datetime.now()` so that tests can
drive time: reminders 24 hours ahead, grace periods, overdue tasks and
escalations are checked by moving a clock, not by sleeping.

- `system`: the real UTC time (the only choice in production).
- `file:/path`: time as that file says. It holds either a number of seconds
  to add to the real time (time flows, shifted), or an ISO 8601 instant (time
  stands still). Several processes (API workers, the worker process) read the
  same file, so the whole-stack tests move time for all of them at once.
- In-process tests use `frozen(...)`, which returns a `FrozenClock` they can
  `advance()`.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path


def utc(value: datetime) -> datetime:
    """An aware datetime in UTC; naive values are refused, never guessed."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: CareBridge stores times with an offset")
    return value.astimezone(timezone.utc)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FrozenClock:
    def __init__(self, at: datetime):
        self._at = utc(at)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = utc(at)

    def advance(self, **delta) -> datetime:
        with self._lock:
            self._at += timedelta(**delta)
            return self._at


class FileClock:
    """Reads the time from a file: a shift in seconds from the real time, or
    a frozen ISO instant. Real time while the file does not exist."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _read(self):
        try:
            text = self.path.read_text().strip()
        except FileNotFoundError:
            return 0.0
        try:
            return float(text)
        except ValueError:
            return utc(datetime.fromisoformat(text))

    def now(self) -> datetime:
        state = self._read()
        if isinstance(state, datetime):
            return state
        return datetime.now(timezone.utc) + timedelta(seconds=state)

    def _write(self, text: str) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(self.path)  # atomic, so a reader never sees half a value

    def set(self, at: datetime) -> None:
        """Freeze time at `at`."""
        self._write(utc(at).isoformat())

    def shift(self, seconds: float) -> None:
        """Let time flow, `seconds` ahead of the real time."""
        self._write(repr(float(seconds)))

    def advance(self, **delta) -> datetime:
        state = self._read()
        if isinstance(state, datetime):
            self.set(state + timedelta(**delta))
        else:
            self.shift(state + timedelta(**delta).total_seconds())
        return self.now()


_current = SystemClock()


def from_setting(spec: str):
    if spec == "system":
        return SystemClock()
    if spec.startswith("file:"):
        return FileClock(spec[len("file:"):])
    raise ValueError(f"unknown clock {spec!r}: use 'system' or 'file:/path'")


def configure(spec: str) -> None:
    global _current
    _current = from_setting(spec)


def use(clock) -> None:
    global _current
    _current = clock


def current():
    return _current


def now() -> datetime:
    return _current.now()


@contextmanager
def frozen(at: datetime):
    """Freeze time for the duration of a block (tests)."""
    global _current
    previous, _current = _current, FrozenClock(at)
    try:
        yield _current
    finally:
        _current = previous
