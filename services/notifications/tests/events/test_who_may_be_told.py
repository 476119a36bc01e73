"""Consent, quiet hours, opt-outs, SMS consent, and people we know little or
nothing about: the limits on who hears what, and how."""
import uuid
from datetime import datetime, timezone

from support import (event, notifications, patient_registered, patient_updated, practitioner_changed,
                     related_person_changed, set_preferences, told)

P, PAT, REL = "practitioner", "patient", "related-person"


class TestFamilyConsent:
    def test_withdrawn_consent_means_nothing_from_then_on(self, runtime, world):
        news = world.booked()
        world.deliver(news)
        assert (REL, world.withdrawn_son) not in told(runtime, news.id)

    def test_withdrawal_arriving_later_stops_the_next_messages(self, runtime, world, clock):
        first = world.booked()
        world.deliver(first)
        assert (REL, world.consenting_daughter) in told(runtime, first.id)
        world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2,
                                             withdrawn_at=clock.now()))
        second = world.booked()
        world.deliver(second)
        assert (REL, world.consenting_daughter) not in told(runtime, second.id)

    def test_consent_is_per_category(self, runtime, world):
        world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2,
                                             appointments=False, care_plan=True))
        news = world.booked()
        world.deliver(news)
        assert (REL, world.consenting_daughter) not in told(runtime, news.id)

    def test_inactive_related_person_is_not_told(self, runtime, world):
        world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2, active=False))
        news = world.booked()
        world.deliver(news)
        assert (REL, world.consenting_daughter) not in told(runtime, news.id)


class TestQuietHours:
    def test_routine_email_waits_for_the_end_of_the_patients_quiet_hours(self, runtime, world, clock):
        world.deliver(patient_updated(world.patient, revision=2, quiet_hours=("22:00", "07:00")))
        clock.set(datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc))  # 23:00 in New York
        news = world.booked()
        world.deliver(news)
        email = next(d for n in notifications(runtime, news.id) if n.recipient_type == PAT
                     for d in n.deliveries if d.channel == "email")
        assert email.status == "pending"
        assert email.next_attempt_at == datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)  # 07:00 in New York

    def test_outside_quiet_hours_email_goes_at_once(self, runtime, world, clock):
        world.deliver(patient_updated(world.patient, revision=2, quiet_hours=("22:00", "07:00")))
        news = world.booked()  # 09:00 in New York
        world.deliver(news)
        email = next(d for n in notifications(runtime, news.id) if n.recipient_type == PAT
                     for d in n.deliveries if d.channel == "email")
        assert email.next_attempt_at == clock.now()

    def test_urgent_news_passes_through_a_nurses_quiet_hours(self, runtime, world, clock):
        set_preferences(runtime, P, world.nurse, quiet_hours={"start": "22:00", "end": "07:00"})
        clock.set(datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc))
        no_show = world.missed()
        world.deliver(no_show)
        email = next(d for n in notifications(runtime, no_show.id) if n.recipient_id == world.nurse
                     for d in n.deliveries if d.channel == "email")
        assert email.next_attempt_at == clock.now()


class TestOptOutAndChannels:
    def test_patient_who_opted_out_hears_nothing(self, runtime, world):
        set_preferences(runtime, PAT, world.patient, opted_out=True)
        news = world.booked()
        world.deliver(news)
        assert (PAT, world.patient) not in told(runtime, news.id)
        assert (REL, world.consenting_daughter) in told(runtime, news.id)

    def test_staff_cannot_silence_urgent_news_but_do_silence_routine(self, runtime, world):
        set_preferences(runtime, P, world.nurse, opted_out=True)
        no_show = world.missed()
        routine = world.task(owner=world.nurse)
        world.deliver(no_show, routine)
        assert (P, world.nurse) in told(runtime, no_show.id)
        assert told(runtime, routine.id) == {}

    def test_channels_chosen_for_a_category_replace_the_default(self, runtime, world):
        set_preferences(runtime, PAT, world.patient, channels={"appointments": []})
        news = world.booked()
        world.deliver(news)
        assert told(runtime, news.id)[(PAT, world.patient)] == {"inapp": "sent"}

    def test_sms_goes_only_with_consent_recorded(self, runtime, world):
        world.deliver(patient_updated(world.patient, revision=2, preferred_channel="sms", sms_consent=False))
        without = world.booked()
        world.deliver(without)
        assert told(runtime, without.id)[(PAT, world.patient)] == {"inapp": "sent"}
        world.deliver(patient_updated(world.patient, revision=3, preferred_channel="sms", sms_consent=True))
        with_consent = world.booked()
        world.deliver(with_consent)
        assert told(runtime, with_consent.id)[(PAT, world.patient)] == {"inapp": "sent", "sms": "pending"}

    def test_staff_sms_needs_their_own_recorded_consent(self, runtime, world):
        no_show = world.missed()
        world.deliver(no_show)
        assert "sms" not in told(runtime, no_show.id)[(P, world.nurse)]
        set_preferences(runtime, P, world.nurse, sms_consent=True, channels={"appointments": ["email", "sms"]})
        again = world.missed()
        world.deliver(again)
        assert told(runtime, again.id)[(P, world.nurse)] == {"inapp": "sent", "email": "pending", "sms": "pending"}


class TestPeopleWeKnowLittleAbout:
    def test_patient_not_yet_registered_here_gets_the_portal_inbox_only(self, runtime, world):
        stranger = uuid.uuid4()
        news = event("scheduling.appointment-booked", {**world.appointment(), "patient_id": stranger})
        world.deliver(news)
        assert told(runtime, news.id) == {(PAT, stranger): {"inapp": "sent"}}

    def test_deceased_patient_is_not_messaged(self, runtime, world):
        world.deliver(patient_updated(world.patient, revision=2, status="deceased", changed=("status",)))
        news = world.booked()
        world.deliver(news)
        assert (PAT, world.patient) not in told(runtime, news.id)

    def test_practitioner_who_left_is_not_told(self, runtime, world):
        world.deliver(practitioner_changed(world.nurse, "nurse", revision=2, active=False))
        no_show = world.missed()
        world.deliver(no_show)
        assert (P, world.nurse) not in told(runtime, no_show.id)

    def test_event_for_a_patient_without_any_team_tells_only_the_patient(self, runtime, world):
        lonely = uuid.uuid4()
        world.deliver(patient_registered(lonely))
        no_show = event("scheduling.appointment-missed", {
            **world.appointment(), "patient_id": lonely, "detected_at": world.appointment()["start"],
            "grace_minutes": 10})
        world.deliver(no_show)
        assert set(told(runtime, no_show.id)) == {(PAT, lonely)}


class TestLanguage:
    def test_spanish_speaking_patient_reads_spanish_with_local_time(self, runtime, world):
        world.deliver(patient_updated(world.patient, revision=2, language="es-MX", time_zone="America/Mexico_City"))
        news = world.booked()
        world.deliver(news)
        note = next(n for n in notifications(runtime, news.id) if n.recipient_type == PAT)
        assert note.language == "es"
        assert note.body == "Su cita (consulta de seguimiento) está reservada para el 03/03/2026 08:00 CST."

    def test_unknown_language_falls_back_to_english(self, runtime, world):
        world.deliver(patient_updated(world.patient, revision=2, language="tlh"))
        news = world.booked()
        world.deliver(news)
        note = next(n for n in notifications(runtime, news.id) if n.recipient_type == PAT)
        assert note.language == "en" and note.title == "Appointment booked"
