"""The slot arithmetic: refused starts, free ranges, counting and paging."""
import random

from carebridge_scheduling.domain.free_time import count_on_grid, first_on_grid, free_ranges, refused_starts

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
