"""The fan-out's bulk write: a batch large enough to go in with COPY on
PostgreSQL (binary format; INSERT on SQLite) stores every value as given,
JSON documents as JSON and a missing one as SQL NULL, as the INSERT path
does."""
import uuid
from datetime import timedelta

from sqlalchemy import select

from carebridge import clock
from carebridge_notifications.persistence.models import Delivery, Notification
from carebridge_notifications.persistence.writes import COPY_FROM_ROWS, insert_fan_out


def _notification(payload) -> dict:
    now = clock.now()
    return {"id": uuid.uuid4(), "source_event_id": uuid.uuid4(), "source_event_type": "careplans.plan-updated",
            "occurred_at": now - timedelta(minutes=1), "correlation_id": "req-1", "patient_id": uuid.uuid4(),
            "recipient_type": "practitioner", "recipient_id": uuid.uuid4(), "category": "care-plan",
            "urgency": "routine", "template": "plan-updated", "language": "en", "title": "t", "body": "b",
            "payload": payload, "escalation_id": None, "escalation_level": 0, "created_at": now,
            "read_at": None, "acknowledged_at": None}


def _delivery(notification_id) -> dict:
    now = clock.now()
    return {"id": uuid.uuid4(), "notification_id": notification_id, "channel": "in-app", "address": None,
            "status": "pending", "attempts": 0, "next_attempt_at": now, "lease_until": None, "lease_token": None,
            "last_error": None, "provider_reference": None, "sent_at": None, "created_at": now, "updated_at": now}


def test_a_large_batch_keeps_json_documents_and_stores_none_as_null(runtime):
    document = {"event_id": str(uuid.uuid4()), "codes": ["a", "b"], "count": 2}
    notifications = [_notification(document if n % 2 else None) for n in range(COPY_FROM_ROWS)]
    with runtime.db.transaction() as session:
        insert_fan_out(session, notifications=notifications,
                       deliveries=[_delivery(notification["id"]) for notification in notifications])
    with runtime.db.transaction() as session:
        stored = dict(session.execute(select(Notification.id, Notification.payload)).all())
        assert stored == {notification["id"]: notification["payload"] for notification in notifications}
        assert set(session.scalars(select(Notification.id).where(Notification.payload.is_(None)))) == {
            notification["id"] for notification in notifications if notification["payload"] is None}
        assert len(session.scalars(select(Delivery.id)).all()) == COPY_FROM_ROWS


def test_a_large_batch_stores_every_column_as_given(runtime):
    notifications = [_notification({"n": n}) for n in range(COPY_FROM_ROWS)]
    deliveries = [{**_delivery(notification["id"]), "address": f"nurse{n}@clinic.example", "attempts": n,
                   "lease_token": uuid.uuid4(), "last_error": "smtp-550", "sent_at": clock.now()}
                  for n, notification in enumerate(notifications)]
    with runtime.db.transaction() as session:
        insert_fan_out(session, notifications=notifications, deliveries=deliveries)
    with runtime.db.transaction() as session:
        for model, given in ((Notification, notifications), (Delivery, deliveries)):
            columns = [model.__table__.c[name] for name in given[0]]
            stored = {row[0]: dict(zip(given[0], row)) for row in session.execute(select(*columns))}
            assert stored == {row["id"]: row for row in given}
