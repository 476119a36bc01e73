"""A duplicated event tells nobody twice; the recipient directory ends up
the same whatever order the patients service's events arrive in."""
import uuid

from sqlalchemy import select

from carebridge.testing import deliver
from carebridge_notifications.persistence.models import (PatientRecipient, PractitionerRecipient,
                                                         RelatedPersonRecipient)
from support import (apply_burst, deliveries, notifications, patient_registered, patient_updated,
                     practitioner_changed, related_person_changed, told)


def row(runtime, model, key):
    with runtime.db.transaction() as session:
        return session.get(model, key)


class TestDuplicates:
    def test_event_delivered_twice_gives_each_recipient_one_delivery_per_channel(self, runtime, world):
        update = world.plan_updated(patient_facing=True)
        assert deliver(runtime, update) == "applied"
        assert deliver(runtime, update) == "duplicate"
        found = notifications(runtime, update.id)
        assert len(found) == 5
        pairs = [(d.notification_id, d.channel) for d in deliveries(runtime)]
        assert len(pairs) == len(set(pairs)) == 7  # five inboxes, two emails (patient, daughter)

    def test_fan_out_cannot_write_a_second_copy_even_without_the_inbox(self, runtime, world):
        import pytest
        from sqlalchemy.exc import IntegrityError

        from carebridge.bus import ReceivedEvent
        from carebridge.events import registry
        from carebridge_notifications.service_layer.fan_out import fan_out
        update = world.plan_updated(patient_facing=True)
        deliver(runtime, update)
        received = ReceivedEvent(**{**update.__dict__, "data": registry.validate_on_receipt(
            update.type, 1, update.data)})
        with pytest.raises(IntegrityError):
            with runtime.db.transaction() as session:
                fan_out(session, received)
        assert len(notifications(runtime, update.id)) == 5


class TestBursts:
    def test_a_burst_applied_together_tells_everyone_what_one_by_one_would(self, runtime, world):
        # Twelve updates fan out to 84 deliveries: on PostgreSQL, past the
        # size at which the rows go in with COPY instead of INSERT.
        alone = world.plan_updated(patient_facing=True)
        assert deliver(runtime, alone) == "applied"
        burst = [world.plan_updated(patient_facing=True) for _ in range(12)]
        apply_burst(runtime, burst)
        expected = told(runtime, alone.id)
        assert len(expected) == 5
        for update in burst:
            assert told(runtime, update.id) == expected
        assert len(deliveries(runtime)) == 13 * 7

    def test_a_burst_logs_one_line_for_its_run_and_a_single_event_its_id(self, runtime, world, caplog):
        import logging
        caplog.set_level(logging.INFO, logger="carebridge_notifications.service_layer.fan_out")
        single = world.plan_updated()
        assert deliver(runtime, single) == "applied"
        apply_burst(runtime, [world.plan_updated() for _ in range(4)])
        lines = [r for r in caplog.records if r.name.endswith("fan_out")]
        assert [(r.getMessage(), getattr(r, "event_id", None), r.count) for r in lines] == [
            ("event fanned out", str(single.id), 5), ("events fanned out", None, 20)]
        assert all(r.event_type == "careplans.plan-updated" for r in lines)

    def test_an_event_of_a_burst_already_fanned_out_writes_nothing_twice(self, runtime, world):
        first = world.plan_updated(patient_facing=False)
        assert deliver(runtime, first) == "applied"
        later = world.plan_updated(patient_facing=False)
        from carebridge.bus import EventConsumer
        consumer = EventConsumer(runtime.service.name, runtime.db, runtime.service.subscriptions, runtime.queues,
                                 "memory://")
        assert consumer.apply([consumer.decode(e.to_json()) for e in (first, later)]) == ["duplicate", "applied"]
        assert len(notifications(runtime, first.id)) == len(notifications(runtime, later.id)) == 3


class TestPatientProjection:
    def test_registration_records_how_to_reach_the_patient(self, runtime):
        patient = uuid.uuid4()
        deliver(runtime, patient_registered(patient, email="a@example.org", mobile="+15550199",
                                            preferred_channel="sms", sms_consent=True, quiet_hours=("21:00", "08:00")))
        stored = row(runtime, PatientRecipient, patient)
        assert (stored.email, stored.sms_number, stored.preferred_channel, stored.sms_consent) == \
            ("a@example.org", "+15550199", "sms", True)
        assert (stored.quiet_hours_start, stored.quiet_hours_end, stored.time_zone) == \
            ("21:00", "08:00", "America/New_York")

    def test_an_older_revision_arriving_late_changes_nothing(self, runtime):
        patient = uuid.uuid4()
        deliver(runtime, patient_registered(patient, email="old@example.org"))
        deliver(runtime, patient_updated(patient, revision=3, email="new@example.org"))
        deliver(runtime, patient_updated(patient, revision=2, email="stale@example.org"))
        assert row(runtime, PatientRecipient, patient).email == "new@example.org"
        assert row(runtime, PatientRecipient, patient).revision == 3

    def test_update_that_arrives_before_the_registration_is_kept(self, runtime):
        patient = uuid.uuid4()
        deliver(runtime, patient_updated(patient, revision=2, email="new@example.org"))
        deliver(runtime, patient_registered(patient, email="first@example.org"))
        assert row(runtime, PatientRecipient, patient).email == "new@example.org"


class TestStaffDirectory:
    def test_practitioner_is_recorded_and_newer_revisions_win(self, runtime):
        nurse = uuid.uuid4()
        deliver(runtime, practitioner_changed(nurse, "nurse", revision=2, email="n2@example.org", language="es"))
        deliver(runtime, practitioner_changed(nurse, "nurse", revision=1, email="n1@example.org"))
        stored = row(runtime, PractitionerRecipient, nurse)
        assert (stored.email, stored.language, stored.role, stored.active) == ("n2@example.org", "es", "nurse", True)


class TestRelatedPeople:
    def test_consent_flags_and_withdrawal_are_recorded(self, runtime, clock):
        person, patient = uuid.uuid4(), uuid.uuid4()
        deliver(runtime, related_person_changed(person, patient, appointments=True, care_plan=False, billing=True))
        stored = row(runtime, RelatedPersonRecipient, person)
        assert (stored.consent_appointments, stored.consent_care_plan, stored.consent_billing) == (True, False, True)
        deliver(runtime, related_person_changed(person, patient, revision=2, withdrawn_at=clock.now()))
        stored = row(runtime, RelatedPersonRecipient, person)
        assert not (stored.consent_appointments or stored.consent_billing)
        assert stored.consent_withdrawn_at == clock.now()
        assert not stored.consents_to("appointments")

    def test_related_people_are_found_by_patient(self, runtime):
        patient = uuid.uuid4()
        for _ in range(2):
            deliver(runtime, related_person_changed(uuid.uuid4(), patient))
        with runtime.db.transaction() as session:
            assert len(session.scalars(select(RelatedPersonRecipient).where(
                RelatedPersonRecipient.patient_id == patient)).all()) == 2


class TestCareTeamProjection:
    def test_care_team_changes_keep_the_kits_access_projection(self, runtime, world):
        from carebridge import access
        with runtime.db.transaction() as session:
            members = {m["practitioner_id"] for m in access.active_members(session, world.team)}
        assert members == {world.coordinator, world.nurse, world.physician}
