"""Real event envelopes for the tests, and a small world of people built
from them: a patient, their care team (with a member who has left), family
with and without consent, billing staff and a stranger."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from carebridge import clock
from carebridge.bus import EventConsumer
from carebridge.testing import audit_trail, care_team_event, care_team_member, deliver, make_event
from carebridge_notifications.persistence.models import Delivery, Notification


def apply_burst(runtime, events) -> list:
    consumer = EventConsumer(runtime.service.name, runtime.db, runtime.service.subscriptions, runtime.queues,
                             "memory://")
    outcomes = consumer.apply([consumer.decode(e.to_json()) for e in events])
    assert outcomes == ["applied"] * len(events), outcomes
    return outcomes


def event(event_type: str, data: dict, *, at=None, event_id=None):
    return make_event(event_type, data, occurred_at=at or clock.now(), event_id=event_id)


def contact_points(email=None, mobile=None):
    points = []
    if email:
        points.append({"system": "email", "value": email, "use": "home"})
    if mobile:
        points.append({"system": "phone", "value": mobile, "use": "mobile"})
    return points


def patient_data(patient_id, *, revision=1, status="active", time_zone="America/New_York", language="en",
                 email="pat@example.org", mobile="+15550100", preferred_channel="email", quiet_hours=(None, None),
                 sms_consent=False):
    return {"patient_id": patient_id, "mrn": "MRN-2041", "revision": revision, "status": status, "preferred_language": language,
            "time_zone": time_zone, "contact_points": contact_points(email, mobile),
            "communication": {"preferred_channel": preferred_channel, "quiet_hours_start": quiet_hours[0],
                              "quiet_hours_end": quiet_hours[1], "sms_consent": sms_consent}}


def patient_registered(patient_id, **kwargs):
    return event("patients.patient-registered", patient_data(patient_id, **kwargs))


def patient_updated(patient_id, changed=("contact_points",), **kwargs):
    return event("patients.patient-updated", {**patient_data(patient_id, **kwargs), "changed_fields": list(changed)})


def practitioner_changed(practitioner_id, role, *, revision=1, active=True, email=None, mobile=None,
                         time_zone="America/New_York", language="en"):
    return event("patients.practitioner-changed", {
        "practitioner_id": practitioner_id, "revision": revision, "role": role, "active": active,
        "time_zone": time_zone, "preferred_language": language, "contact_points": contact_points(email, mobile)})


def related_person_changed(person_id, patient_id, *, revision=1, active=True, appointments=True, care_plan=True,
                           billing=False, withdrawn_at=None, email="family@example.org", mobile="+15550111",
                           preferred_channel="email", sms_consent=False, language="en", time_zone=None):
    return event("patients.related-person-changed", {
        "related_person_id": person_id, "patient_id": patient_id, "revision": revision, "active": active,
        "relationship": "daughter", "preferred_language": language, "time_zone": time_zone,
        "contact_points": contact_points(email, mobile),
        "communication": {"preferred_channel": preferred_channel, "sms_consent": sms_consent},
        "consent": {"appointments": appointments and not withdrawn_at, "care_plan": care_plan and not withdrawn_at,
                    "billing": billing and not withdrawn_at, "withdrawn_at": withdrawn_at}})


def appointment_data(patient_id, practitioner_id, *, start=None, code="follow-up", status="booked"):
    start = start or clock.now() + timedelta(days=1)
    return {"appointment_id": uuid.uuid4(), "patient_id": patient_id, "practitioner_id": practitioner_id,
            "appointment_type_code": code, "service_code": "99214", "setting": "outpatient-clinic",
            "start": start, "end": start + timedelta(minutes=30), "status": status}


# Fixed, so that a test can name them in its settings before the world exists.
ON_CALL_NURSE = uuid.UUID("0c0a11ed-0000-4000-8000-000000000001")


class World:
    def __init__(self, runtime):
        self.runtime = runtime
        ids = [uuid.uuid4() for _ in range(11)]
        (self.patient, self.team, self.coordinator, self.nurse, self.physician, self.former_nurse,
         self.billing_clerk, self.consenting_daughter, self.withdrawn_son, self.stranger, self.second_nurse) = ids
        self.on_call_nurse = ON_CALL_NURSE

    def deliver(self, *events):
        return [deliver(self.runtime, e) for e in events]

    def build(self) -> "World":
        """Everyone arrives through the real consumer path, in one prefetched
        burst (one transaction, as the consumer applies what it has received)."""
        now = clock.now()
        apply_burst(self.runtime, [
            patient_registered(self.patient),
            practitioner_changed(self.coordinator, "coordinator", email="coord@example.org"),
            practitioner_changed(self.nurse, "nurse", email="nurse@example.org", mobile="+15550122"),
            practitioner_changed(self.physician, "physician", email="doc@example.org"),
            practitioner_changed(self.former_nurse, "nurse", email="former@example.org"),
            practitioner_changed(self.billing_clerk, "billing", email="billing@example.org"),
            practitioner_changed(self.stranger, "nurse", email="stranger@example.org"),
            practitioner_changed(self.on_call_nurse, "nurse", email="oncall@example.org"),
            care_team_event(self.patient, [
                care_team_member(self.coordinator, "coordinator", since=now - timedelta(days=30)),
                care_team_member(self.nurse, "nurse", since=now - timedelta(days=30)),
                care_team_member(self.physician, "physician", since=now - timedelta(days=30)),
                care_team_member(self.former_nurse, "nurse", since=now - timedelta(days=30),
                                 until=now - timedelta(days=1)),
            ], care_team_id=self.team, lead_coordinator_id=self.coordinator),
            related_person_changed(self.consenting_daughter, self.patient),
            related_person_changed(self.withdrawn_son, self.patient, withdrawn_at=now - timedelta(days=2)),
        ])
        return self

    def appointment(self, **kwargs):
        return appointment_data(self.patient, self.physician, **kwargs)

    # The events the tests fan out, about this world's patient.

    def booked(self, **appointment):
        return event("scheduling.appointment-booked", self.appointment(**appointment))

    def missed(self):
        now = clock.now()
        return event("scheduling.appointment-missed", {
            **self.appointment(start=now - timedelta(hours=1), status="noshow"), "detected_at": now,
            "grace_minutes": 15})

    def plan_updated(self, *, patient_facing=True, care_team_id="team", at=None):
        return event("careplans.plan-updated", {
            "plan_id": uuid.uuid4(), "patient_id": self.patient,
            "care_team_id": self.team if care_team_id == "team" else care_team_id, "version": 3, "status": "active",
            "changed_sections": ["medications", "activities"], "patient_facing": patient_facing}, at=at)

    def task(self, event_type="careplans.task-assigned", *, owner=None, code="outreach", priority="routine"):
        return event(event_type, {
            "task_id": uuid.uuid4(), "patient_id": self.patient, "care_team_id": self.team,
            "owner_id": owner or self.nurse, "code": code, "priority": priority, "due_at": None})

    def medication_alert(self, severity="major", *, overridden=False, kind="drug-interaction", **extra):
        return event("careplans.medication-alert", {
            "alert_id": uuid.uuid4(), "plan_id": uuid.uuid4(), "patient_id": self.patient,
            "care_team_id": self.team, "plan_version": 2, "activity_id": uuid.uuid4(), "kind": kind,
            "severity": severity, "rxnorm_codes": ["11289", "1191"], "prescriber_id": self.physician,
            "overridden": overridden, **extra})

    @property
    def staff(self):
        return {self.coordinator, self.nurse, self.physician}


def notifications(runtime, source_event_id=None) -> list[Notification]:
    with runtime.db.transaction() as session:
        statement = select(Notification).order_by(Notification.created_at, Notification.recipient_type)
        if source_event_id is not None:
            statement = statement.where(Notification.source_event_id == source_event_id)
        return list(session.scalars(statement))


def told(runtime, source_event_id) -> dict:
    """{(recipient_type, recipient_id): {channel: status}} for one event."""
    return {(n.recipient_type, n.recipient_id): {d.channel: d.status for d in n.deliveries}
            for n in notifications(runtime, source_event_id)}


def deliveries(runtime, channel=None) -> list[Delivery]:
    with runtime.db.transaction() as session:
        statement = select(Delivery).order_by(Delivery.created_at)
        if channel:
            statement = statement.where(Delivery.channel == channel)
        return list(session.scalars(statement))


def set_preferences(runtime, recipient_type, recipient_id, by="tests", **changes):
    """Store preferences through the service layer, as the API does."""
    from carebridge_notifications.service_layer import preferences
    with runtime.db.transaction() as session:
        preferences.replace(session, preferences.load(session, recipient_type, recipient_id), changes, by=by)


def subscribe_webhook(runtime, url, event_types, secret="s3cret-for-webhook-tests-000000000000"):
    from carebridge_notifications.service_layer import webhook_subscriptions
    with runtime.db.transaction() as session:
        return webhook_subscriptions.create(session, {"url": url, "secret": secret, "event_types": event_types},
                                            by="tests", require_https=False).id


def audit_since(runtime, count_before=0):
    return [(r["action"], r["resource_type"], r["patient_id"], r["outcome"]) for r in audit_trail(runtime)][count_before:]
