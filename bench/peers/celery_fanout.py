"""The peer of the event pipeline: the same fan-out written the way a Python
team would write it without CareBridge, with Celery on the same RabbitMQ and
PostgreSQL.

- The producer commits its own row (the plan update) and then calls
  `fan_out_plan_update.apply_async(...)`: two writes, no outbox. Celery's
  defaults: no publisher confirms, no `mandatory` flag.
- The task (`acks_late=True`: acknowledged once it returned, i.e. after its
  commit) reads the care team's members and inserts one inbox row per
  member, in one transaction. No inbox of handled event ids: a redelivered
  message writes its rows again. A task that raises is acknowledged and
  gone (Celery's default; nothing is dead-lettered).
- The queue is durable and quorum, as CareBridge's, and the messages are
  persistent (Celery's default delivery mode).

Configured from the environment (the benchmark names everything after its
run): PEER_BROKER_URL, PEER_DATABASE_URL, PEER_QUEUE.

    cd bench/peers && celery -A celery_fanout worker -Q $PEER_QUEUE
"""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone

from celery import Celery
from kombu import Exchange, Queue
from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, Uuid, create_engine, insert, select

BROKER_URL = os.environ.get("PEER_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
DATABASE_URL = os.environ.get("PEER_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
QUEUE = os.environ.get("PEER_QUEUE", "peer.celery")

metadata = MetaData()
plan_updates = Table(  # the producer's own write (as careplans' plan version)
    "plan_updates", metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("plan_id", Uuid, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False))
team_members = Table(
    "team_members", metadata,
    Column("care_team_id", Uuid, primary_key=True),
    Column("practitioner_id", Uuid, primary_key=True))
inbox = Table(
    "inbox", metadata,
    Column("id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False, index=True),
    Column("recipient_id", Uuid, nullable=False),
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False))

engine = create_engine(DATABASE_URL, pool_size=4, max_overflow=4, pool_pre_ping=False)

app = Celery("celery_fanout", broker=BROKER_URL)
app.conf.update(
    task_queues=[Queue(QUEUE, Exchange(QUEUE, type="direct", durable=True), routing_key=QUEUE, durable=True,
                       queue_arguments={"x-queue-type": "quorum"})],
    task_default_queue=QUEUE, task_default_exchange=QUEUE, task_default_routing_key=QUEUE,
    task_ignore_result=True, worker_enable_remote_control=False, worker_send_task_events=False,
    broker_connection_retry_on_startup=True, worker_hijack_root_logger=False)


@app.task(name="peer.fan_out_plan_update", acks_late=True)
def fan_out_plan_update(event: dict) -> int:
    """One inbox row per member of the event's care team, one transaction."""
    data = event["data"]
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        members = connection.execute(select(team_members.c.practitioner_id).where(
            team_members.c.care_team_id == uuid.UUID(data["care_team_id"]))).scalars().all()
        title = "Care plan updated"
        body = f"Version {data['version']} of the care plan changed: {', '.join(data['changed_sections'])}."
        connection.execute(insert(inbox), [
            {"id": uuid.uuid4(), "event_id": uuid.UUID(event["id"]), "recipient_id": member,
             "title": title, "body": body, "created_at": now} for member in members])
    return len(members)


def write_plan_update(event: dict, payload: str) -> None:
    """The producer's side: commit, then hand the fan-out to Celery."""
    with engine.begin() as connection:
        connection.execute(insert(plan_updates).values(
            event_id=uuid.UUID(event["id"]), plan_id=uuid.UUID(event["data"]["plan_id"]), payload=payload,
            created_at=datetime.now(timezone.utc)))
    fan_out_plan_update.apply_async(args=[event], queue=QUEUE)
