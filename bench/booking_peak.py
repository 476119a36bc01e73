"""3. Booking at peak: 64 clients (threads of this process, each with its own
connection and its own patient) released together, competing for the same
50 free slots (5 half-hour slots of 10 practitioners on one day). Each
client tries the slots in its own random order until one is booked (201) or
every slot has answered 409. Expected: exactly 50 bookings, one per slot, no
overlapping appointments in the database, and every other answer a 409 (no
5xx, no 422). Reports the time from the release to the last client's last
answer.
"""
from __future__ import annotations

import random
import threading
import time
from collections import Counter

import requests
from sqlalchemy import text

from common import report
from harness import BenchStack, load_average, token
import scheduling_data

CLIENTS = 64
PRACTITIONERS = 10
SLOTS_EACH = 5


def main() -> None:
    started = time.monotonic()
    with BenchStack("booking_peak", ["scheduling"]) as stack:
        world = scheduling_data.build(stack, practitioners=40, days=20, free_patients=CLIENTS, seeded_patients=40)
        day = world.working_days(5)[3]
        starts = world.free_starts(day)[:SLOTS_EACH]
        slots = [(practitioner, start) for practitioner in world.practitioners[:PRACTITIONERS] for start in starts]
        url = stack.url("scheduling") + "/appointments"
        authorization = {"Authorization": f"Bearer {token('coordinator')}"}
        release = threading.Barrier(CLIENTS + 1)
        outcomes: list[dict] = [{} for _ in range(CLIENTS)]
        finished_at: list[float] = [0.0] * CLIENTS

        def client(index: int) -> None:
            session = requests.Session()
            session.headers.update(authorization)
            order = slots[:]
            random.Random(1000 + index).shuffle(order)
            statuses: Counter = Counter()
            won = None
            release.wait()
            for practitioner, start in order:
                response = session.post(url, json={"patient_id": world.free_patients[index],
                                                   "practitioner_id": practitioner,
                                                   "appointment_type_code": "follow-up",
                                                   "start": start.isoformat()}, timeout=60)
                statuses[response.status_code] += 1
                if response.status_code == 201:
                    won = (practitioner, start.isoformat())
                    break
            finished_at[index] = time.monotonic()
            outcomes[index] = {"won": won, "statuses": statuses}

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        load_before = load_average()
        release.wait()
        go = time.monotonic()
        for thread in threads:
            thread.join(300)
        settle = max(finished_at) - go
        load_after = load_average()
        with stack.runtime("scheduling").db.engine.connect() as connection:
            stored = connection.execute(text(
                "SELECT practitioner_id, start_at FROM appointments WHERE booked_by IS DISTINCT FROM 'bench' "
                "AND status = 'booked'")).all()
            overlaps = connection.scalar(text(
                "SELECT count(*) FROM appointments a JOIN appointments b ON a.practitioner_id = b.practitioner_id "
                "AND a.id < b.id AND a.start_at < b.blocked_until AND b.start_at < a.blocked_until "
                "WHERE a.status = 'booked' AND b.status = 'booked'"))
    statuses = Counter()
    for outcome in outcomes:
        statuses.update(outcome["statuses"])
    winners = [o["won"] for o in outcomes if o["won"]]
    losers = CLIENTS - len(winners)
    bookings = len(stored)
    figures = {
        "what": f"{CLIENTS} clients released together, each trying the same {len(slots)} free slots "
                f"({PRACTITIONERS} practitioners x {SLOTS_EACH} half hours, one day) in its own order",
        "clients": CLIENTS, "slots": len(slots),
        "settle_seconds": round(settle, 3), "requests": sum(statuses.values()),
        "answers": {str(code): count for code, count in sorted(statuses.items())},
        "bookings_stored": bookings, "clients_with_a_booking": len(winners), "clients_refused_everywhere": losers,
        "distinct_slots_booked": len(set(winners)), "overlapping_appointments": overlaps,
        "load_average": {"before": load_before, "after": load_after},
        "targets": {"exactly_50_bookings": bookings == len(slots) == len(winners) == len(set(winners)),
                    "no_double_booking": overlaps == 0,
                    "every_refusal_a_409": set(statuses) <= {201, 409} and statuses[201] == len(slots)},
    }
    report("booking_peak", figures, started)


if __name__ == "__main__":
    main()
