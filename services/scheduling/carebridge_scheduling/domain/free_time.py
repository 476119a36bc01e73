"""Where a visit can start, as arithmetic on intervals.

Times here are whole seconds since the epoch (UTC): slot search runs this for
hundreds of practitioners per request, and integer arithmetic keeps it fast.
Nothing is enumerated until a page of slots is asked for; counting the slots
of a free stretch is a division.
"""
from __future__ import annotations

import heapq
from typing import Iterable


def refused_starts(busy: Iterable[tuple[int, int]], time_off: Iterable[tuple[int, int]], *, duration: int,
                   buffer: int) -> list[tuple[int, int]]:
    """The open ranges (a, b) of start times a visit of `duration` may not
    take, sorted by a: it may not meet a booked stretch [b0, b1) (each
    already ending with its own buffer) with [s, s + duration + buffer), nor
    time off [t0, t1) with [s, s + duration)."""
    refused = [(b0 - duration - buffer, b1) for b0, b1 in busy]
    refused += [(t0 - duration, t1) for t0, t1 in time_off]
    refused.sort()
    return refused


def free_ranges(windows: list[tuple[int, int]], refused: list[tuple[int, int]], *, duration: int,
                earliest: int, latest: int) -> list[list[tuple[int, int]]]:
    """For each window [w0, w1) (sorted by start), the closed ranges [lo, hi]
    of starts s with w0 <= s, s + duration <= w1, earliest <= s <= latest
    and s in none of the refused open ranges. One pass over both lists."""
    result = []
    first = 0
    for w_start, w_end in windows:
        lo, hi = max(w_start, earliest), min(w_end - duration, latest)
        # Refused ranges ending before this window end before every later one.
        while first < len(refused) and refused[first][1] <= lo:
            first += 1
        ranges: list[tuple[int, int]] = []
        current = lo
        index = first
        while current <= hi and index < len(refused):
            start, end = refused[index]
            if start >= hi:
                break
            if end > current:
                if start >= current:
                    ranges.append((current, start))
                current = end
            index += 1
        if current <= hi:
            ranges.append((current, hi))
        result.append(ranges)
    return result


def _grid_bounds(lo: int, hi: int, anchor: int, step: int) -> tuple[int, int]:
    first = -((anchor - lo) // step)  # ceil((lo - anchor) / step)
    last = (hi - anchor) // step
    return first, last


def count_on_grid(ranges: list[tuple[int, int]], anchor: int, step: int) -> int:
    """How many of anchor + k * step fall in the ranges."""
    total = 0
    for lo, hi in ranges:
        first, last = _grid_bounds(lo, hi, anchor, step)
        if last >= first:
            total += last - first + 1
    return total


def first_on_grid(ranges: Iterable[tuple[tuple[int, int], int, int, object]], skip: int,
                  take: int) -> list[tuple[int, object]]:
    """Starts from many (range, anchor, step, tag) in time order, after
    skipping `skip` of them: [(start, tag)], at most `take`. Ties go by tag."""
    heap = []
    for (lo, hi), anchor, step, tag in ranges:
        first, last = _grid_bounds(lo, hi, anchor, step)
        if last >= first:
            heap.append((anchor + first * step, tag, anchor + last * step, step))
    heapq.heapify(heap)
    found: list[tuple[int, object]] = []
    while heap and len(found) < take:
        start, tag, last, step = heap[0]
        if skip:
            skip -= 1
        else:
            found.append((start, tag))
        if start + step <= last:
            heapq.heapreplace(heap, (start + step, tag, last, step))
        else:
            heapq.heappop(heap)
    return found
