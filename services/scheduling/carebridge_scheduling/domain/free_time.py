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


def count_on_grid(ranges: list[tuple[int, int]], anchor: int, step: int) -> int:
    """How many of anchor + k * step fall in the ranges."""
    total = 0
    for lo, hi in ranges:
        # (last index on the grid at or before hi) - (first at or after lo) + 1
        found = (hi - anchor) // step + (anchor - lo) // step + 1
        if found > 0:
            total += found
    return total


def grid_runs(windows: Iterable[tuple[int, int, object]], refused: list[tuple[int, int]], *, duration: int,
              earliest: int, latest: int, step: int, wanted: int) -> tuple[int, list[tuple[int, object, int, int]]]:
    """One practitioner's slots in one pass: `free_ranges` of the windows
    (w0, w1, tag), sorted by start, on each window's grid (every `step` from
    w0, as `count_on_grid` counts them). Returns how many starts there are,
    and the runs (first, tag, last, step) of the windows that begin while
    fewer than `wanted` starts were counted before them (the practitioner's
    later starts cannot reach a page of `wanted`): what `first_of_runs`
    merges. The same answers as free_ranges + count_on_grid + first_on_grid,
    without their intermediate lists (slot search runs this for every
    practitioner on every request)."""
    total = 0
    runs: list[tuple[int, object, int, int]] = []
    first = 0
    count = len(refused)
    for w_start, w_end, tag in windows:
        lo = w_start if w_start > earliest else earliest
        hi = w_end - duration
        if hi > latest:
            hi = latest
        if lo > hi:
            continue
        while first < count and refused[first][1] <= lo:
            first += 1
        take = total < wanted
        current = lo
        index = first
        while current <= hi:
            if index < count:
                start, end = refused[index]
                if start < hi:
                    index += 1
                    if end <= current:
                        continue
                    if start < current:
                        current = end
                        continue
                    a, b, current = current, start, end
                else:
                    a, b, current = current, hi, hi + 1
            else:
                a, b, current = current, hi, hi + 1
            # The grid points of [a, b]: w_start + k * step.
            g_first = w_start - ((w_start - a) // step) * step
            g_last = w_start + ((b - w_start) // step) * step
            if g_last >= g_first:
                total += (g_last - g_first) // step + 1
                if take:
                    runs.append((g_first, tag, g_last, step))
    return total, runs


def first_on_grid(ranges: Iterable[tuple[tuple[int, int], int, int, object]], skip: int,
                  take: int) -> list[tuple[int, object]]:
    """Starts from many (range, anchor, step, tag) in time order, after
    skipping `skip` of them: [(start, tag)], at most `take`. Ties go by tag
    (slot search ties hundreds of times per page: tags that compare cheaply
    pay off)."""
    runs = []
    for (lo, hi), anchor, step, tag in ranges:
        first = anchor - ((anchor - lo) // step) * step  # the first grid point at or after lo
        last = anchor + ((hi - anchor) // step) * step
        if last >= first:
            runs.append((first, tag, last, step))
    return first_of_runs(runs, skip, take)


def first_of_runs(heap: list[tuple[int, object, int, int]], skip: int, take: int) -> list[tuple[int, object]]:
    """`first_on_grid` of runs (first, tag, last, step) with last >= first,
    every one of them a grid point (`grid_runs` makes them). Takes `heap`
    over (it is reordered)."""
    wanted = skip + take
    if len(heap) > wanted:
        # The `wanted` earliest first starts are `wanted` starts no later than
        # the last of them, so a range that begins after it holds none of the
        # `wanted` earliest starts: the merge needs only the others.
        cutoff = heapq.nsmallest(wanted, [entry[0] for entry in heap])[-1]
        heap = [entry for entry in heap if entry[0] <= cutoff]
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
