"""The slot arithmetic: refused starts, free ranges, counting and paging."""
import random

from carebridge_scheduling.domain.free_time import (count_on_grid, first_of_runs, first_on_grid, free_ranges, grid_runs,
                                                    refused_starts)

M = 60  # seconds in a minute; times below are minutes after an arbitrary 0


def minutes(ranges):
    return [(lo // M, hi // M) for lo, hi in ranges]


def test_a_visit_must_end_within_the_window():
    (ranges,) = free_ranges([(0, 180 * M)], [], duration=30 * M, earliest=0, latest=10_000 * M)
    assert minutes(ranges) == [(0, 150)]


def test_a_booked_visit_keeps_the_buffer_before_it_free_and_ends_with_its_own():
    # Booked 60-90 (+10 buffer: blocked to 100); new visits of 30 with a 10 buffer.
    refused = refused_starts([(60 * M, 100 * M)], [], duration=30 * M, buffer=10 * M)
    (ranges,) = free_ranges([(0, 180 * M)], refused, duration=30 * M, earliest=0, latest=10_000 * M)
    assert minutes(ranges) == [(0, 20), (100, 150)]


def test_time_off_needs_no_buffer_before_it():
    refused = refused_starts([], [(60 * M, 120 * M)], duration=30 * M, buffer=10 * M)
    (ranges,) = free_ranges([(0, 180 * M)], refused, duration=30 * M, earliest=0, latest=10_000 * M)
    assert minutes(ranges) == [(0, 30), (120, 150)]


def test_earliest_and_latest_bound_the_starts_and_overlapping_refusals_combine():
    refused = refused_starts([(40 * M, 60 * M), (50 * M, 90 * M)], [], duration=10 * M, buffer=0)
    windows = [(0, 100 * M), (200 * M, 300 * M)]
    assert [minutes(r) for r in free_ranges(windows, refused, duration=10 * M, earliest=20 * M, latest=250 * M)] \
        == [[(20, 30), (90, 90)], [(200, 250)]]


def test_counting_on_the_grid_of_the_window_start():
    assert count_on_grid([(0, 150 * M)], 0, 15 * M) == 11          # 0, 15, ..., 150
    assert count_on_grid([(1 * M, 14 * M)], 0, 15 * M) == 0        # no grid point inside
    assert count_on_grid([(100 * M, 150 * M), (0, 20 * M)], 0, 15 * M) == 4 + 2


def test_pages_come_in_time_order_across_many_ranges_with_ties_by_tag():
    ranges = [((0, 60 * M), 0, 30 * M, "b"), ((0, 30 * M), 0, 15 * M, "a"), ((45 * M, 45 * M), 0, 15 * M, "c")]
    everything = first_on_grid(ranges, 0, 100)
    assert [(start // M, tag) for start, tag in everything] == [
        (0, "a"), (0, "b"), (15, "a"), (30, "a"), (30, "b"), (45, "c"), (60, "b")]
    assert first_on_grid(ranges, 2, 3) == everything[2:5]
    assert first_on_grid(ranges, 10, 3) == []


def test_a_page_from_hundreds_of_ranges_is_what_listing_every_start_would_give():
    # first_on_grid merges only the ranges that can reach the page; the page
    # must be exactly the slice of every start listed in (start, tag) order,
    # ties at the cutoff included.
    rng = random.Random(7)
    for _ in range(50):
        ranges = []
        for tag in range(rng.randint(1, 120)):
            anchor, step = rng.choice((0, 5 * M)), rng.choice((15 * M, 30 * M))
            lo = rng.randrange(0, 8) * 15 * M
            ranges.append(((lo, lo + rng.randrange(0, 240) * M), anchor, step, tag))
        every = sorted((start, tag) for (lo, hi), anchor, step, tag in ranges
                       for start in range(anchor, hi + 1, step) if start >= lo)
        for skip, take in ((0, 1), (0, 25), (25, 25), (3, 7), (len(every), 5)):
            assert first_on_grid(ranges, skip, take) == every[skip:skip + take]
        for anchor, step in ((0, 15 * M), (5 * M, 30 * M)):
            on_this_grid = [r for r, a, s, _tag in ranges if (a, s) == (anchor, step)]
            assert count_on_grid(on_this_grid, anchor, step) == sum(
                1 for lo, hi in on_this_grid for start in range(anchor, hi + 1, step) if start >= lo)


def test_grid_runs_answers_as_free_ranges_count_on_grid_and_first_on_grid_do():
    # Slot search computes each practitioner's slots in one pass
    # (grid_runs); the count and every page must be those of the separate
    # steps, the practitioner's windows past its first `wanted` starts left
    # out of the merge as before.
    rng = random.Random(26)
    for _ in range(300):
        practitioners = []
        for tag in range(rng.randint(1, 12)):
            windows, start = [], rng.randrange(0, 60) * 5 * M
            for _w in range(rng.randint(0, 4)):
                end = start + rng.randrange(0, 48) * 5 * M
                windows.append((start, end, (tag, len(windows))))
                start = end + rng.randrange(-6, 24) * 5 * M  # windows may touch or overlap
            windows.sort(key=lambda w: w[0])
            busy = [(b, b + rng.randrange(1, 12) * 5 * M) for b in
                    (rng.randrange(0, 200) * 5 * M for _b in range(rng.randint(0, 15)))]
            time_off = [(t, t + rng.randrange(1, 40) * 5 * M) for t in
                        (rng.randrange(0, 200) * 5 * M for _t in range(rng.randint(0, 2)))]
            practitioners.append((windows, busy, time_off, rng.choice((5, 10, 15, 30)) * M, rng.choice((0, 10)) * M))
        duration = rng.choice((15, 30, 45)) * M
        earliest, latest = rng.randrange(0, 120) * 5 * M, rng.randrange(60, 400) * 5 * M
        for page, page_size in ((1, 1), (1, 25), (2, 25), (3, 7)):
            wanted = page * page_size
            expected_total, ranges, total, runs = 0, [], 0, []
            for windows, busy, time_off, step, buffer in practitioners:
                refused = refused_starts(busy, time_off, duration=duration, buffer=buffer)
                free = free_ranges([(s, e) for s, e, _ in windows], refused, duration=duration, earliest=earliest,
                                   latest=latest)
                own = 0
                for (anchor, _end, tag), window_ranges in zip(windows, free):
                    found = count_on_grid(window_ranges, anchor, step)
                    if found:
                        expected_total += found
                        if own < wanted:
                            ranges.extend((r, anchor, step, tag) for r in window_ranges)
                        own += found
                found, own_runs = grid_runs(windows, refused, duration=duration, earliest=earliest, latest=latest,
                                            step=step, wanted=wanted)
                total += found
                runs += own_runs
            assert total == expected_total
            skip = (page - 1) * page_size
            assert first_of_runs(runs, skip, page_size) == first_on_grid(ranges, skip, page_size)
