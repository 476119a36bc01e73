"""Every routing rule, from real event envelopes through the real consumer
path: who is told, with which urgency, on which channels."""
import uuid
from datetime import timedelta

import pytest

from carebridge import clock
from carebridge.testing import care_team_event, care_team_member

from support import event, notifications, told

P, PAT, REL = "practitioner", "patient", "related-person"


def urgency_of(runtime, source_event_id):
    return {(n.recipient_type, n.recipient_id): n.urgency for n in notifications(runtime, source_event_id)}


class TestCarePlanUpdated:
    def test_patient_facing_change_reaches_active_team_patient_and_consenting_family(self, runtime, world):
        update = world.plan_updated()
        world.deliver(update)
        got = told(runtime, update.id)
        assert set(got) == {(P, world.coordinator), (P, world.nurse), (P, world.physician),
                            (PAT, world.patient), (REL, world.consenting_daughter)}
        assert got[(PAT, world.patient)] == {"inapp": "sent", "email": "pending"}
        assert got[(P, world.nurse)] == {"inapp": "sent"}

    def test_staff_only_change_leaves_patient_and_family_out(self, runtime, world):
        update = world.plan_updated(patient_facing=False)
        world.deliver(update)
        assert set(told(runtime, update.id)) == {(P, world.coordinator), (P, world.nurse), (P, world.physician)}

    def test_without_a_team_named_every_active_team_of_the_patient_hears(self, runtime, world):
        update = world.plan_updated(care_team_id=None, patient_facing=False)
        world.deliver(update)
        assert set(told(runtime, update.id)) == {(P, world.coordinator), (P, world.nurse), (P, world.physician)}


class TestTeamMembershipAtTheEventsTime:
    def test_member_whose_membership_ended_before_the_event_is_not_told(self, runtime, world):
        update = world.plan_updated(patient_facing=False)
        world.deliver(update)
        assert (P, world.former_nurse) not in told(runtime, update.id)

    def test_member_still_on_the_team_when_an_older_event_happened_is_told(self, runtime, world):
        update = world.plan_updated(patient_facing=False, at=clock.now() - timedelta(days=3))
        world.deliver(update)
        assert (P, world.former_nurse) in told(runtime, update.id)

    def test_member_who_joined_after_the_event_is_not_told(self, runtime, world):
        now = clock.now()
        world.deliver(care_team_event(world.patient, [
            care_team_member(world.coordinator, "coordinator", since=now - timedelta(days=30)),
            care_team_member(world.second_nurse, "nurse", since=now - timedelta(hours=1))],
            care_team_id=world.team, lead_coordinator_id=world.coordinator, revision=2))
        update = world.plan_updated(patient_facing=False, at=now - timedelta(hours=2))
        world.deliver(update)
        assert set(told(runtime, update.id)) == {(P, world.coordinator)}

    def test_inactive_team_tells_nobody_on_staff(self, runtime, world):
        world.deliver(care_team_event(world.patient, [
            care_team_member(world.nurse, "nurse", since=clock.now() - timedelta(days=30))],
            care_team_id=world.team, revision=2, status="inactive"))
        update = world.plan_updated(patient_facing=False)
        world.deliver(update)
        assert told(runtime, update.id) == {}


class TestTasks:
    def test_assigned_task_goes_to_its_owner_only(self, runtime, world):
        assigned = world.task("careplans.task-assigned", owner=world.nurse)
        world.deliver(assigned)
        assert set(told(runtime, assigned.id)) == {(P, world.nurse)}
        assert notifications(runtime, assigned.id)[0].category == "tasks"

    def test_overdue_task_goes_to_its_owner_and_the_team_lead(self, runtime, world):
        overdue = world.task("careplans.task-overdue", owner=world.nurse)
        world.deliver(overdue)
        by_person = {n.recipient_id: n for n in notifications(runtime, overdue.id)}
        assert set(by_person) == {world.nurse, world.coordinator}
        assert by_person[world.coordinator].template == "task-overdue-team-lead"
        assert by_person[world.nurse].template == "task-overdue"

    def test_owner_who_is_not_yet_in_the_staff_directory_still_gets_it_in_the_inbox(self, runtime, world):
        newcomer = uuid.uuid4()
        assigned = world.task("careplans.task-assigned", owner=newcomer)
        world.deliver(assigned)
        assert told(runtime, assigned.id) == {(P, newcomer): {"inapp": "sent"}}


class TestMedicationAlerts:
    @pytest.mark.parametrize("severity", ["major", "contraindicated"])
    def test_severe_alert_is_urgent_to_prescriber_and_nurses(self, runtime, world, severity):
        alert = world.medication_alert(severity)
        world.deliver(alert)
        assert urgency_of(runtime, alert.id) == {(P, world.physician): "urgent", (P, world.nurse): "urgent"}
        assert told(runtime, alert.id)[(P, world.nurse)] == {"inapp": "sent", "email": "pending"}

    def test_moderate_alert_is_routine(self, runtime, world):
        alert = world.medication_alert("moderate")
        world.deliver(alert)
        assert set(urgency_of(runtime, alert.id).values()) == {"routine"}

    def test_overridden_severe_alert_is_shared_but_not_chased(self, runtime, world):
        alert = world.medication_alert("major", overridden=True)
        world.deliver(alert)
        assert set(urgency_of(runtime, alert.id).values()) == {"routine"}

    def test_blocked_change_is_shared_but_not_chased_while_a_late_detection_is(self, runtime, world):
        blocked = world.medication_alert("contraindicated", outcome="blocked")
        detected = world.medication_alert("contraindicated", kind="allergy", outcome="detected")
        world.deliver(blocked, detected)
        assert set(urgency_of(runtime, blocked.id).values()) == {"routine"}
        assert set(urgency_of(runtime, detected.id).values()) == {"urgent"}


class TestAppointmentMissed:
    def test_lead_coordinator_and_nurse_urgently_and_the_patient_is_invited_to_rebook(self, runtime, world):
        no_show = world.missed()
        world.deliver(no_show)
        assert urgency_of(runtime, no_show.id) == {
            (P, world.coordinator): "urgent", (P, world.nurse): "urgent",
            (PAT, world.patient): "routine", (REL, world.consenting_daughter): "routine"}
        patient_note = next(n for n in notifications(runtime, no_show.id) if n.recipient_type == PAT)
        assert patient_note.title == "We missed you"
        assert "rebook" in patient_note.body and "follow-up visit" in patient_note.body


APPOINTMENT_EVENTS = {
    "scheduling.appointment-reminder-due": {"offset_minutes": 1440, "telehealth": True},
    "scheduling.appointment-booked": {},
    "scheduling.appointment-rescheduled": "rescheduled",
    "scheduling.appointment-cancelled": {"reason_code": "provider-unavailable"},
    "scheduling.appointment-authorization-at-risk": {"issue": "denied", "prior_auth_id": uuid.uuid4()},
}


def appointment_news(world, event_type):
    extra = APPOINTMENT_EVENTS[event_type]
    data = world.appointment()
    if extra == "rescheduled":
        extra = {"previous_start": data["start"] - timedelta(days=2), "previous_end": data["end"] - timedelta(days=2)}
    return event(event_type, {**data, **extra})


def waitlist_offer(world):
    start = clock.now() + timedelta(days=2)
    return event("scheduling.waitlist-offered", {
        "waitlist_entry_id": uuid.uuid4(), "patient_id": world.patient, "practitioner_id": world.physician,
        "appointment_type_code": "physical-therapy", "slot_start": start, "slot_end": start + timedelta(minutes=45),
        "hold_expires_at": clock.now() + timedelta(hours=4)})


class TestAppointmentNewsForPatientAndFamily:
    @pytest.mark.parametrize("event_type", sorted(APPOINTMENT_EVENTS))
    def test_patient_and_consenting_family_hear_staff_do_not(self, runtime, world, event_type):
        news = appointment_news(world, event_type)
        world.deliver(news)
        assert set(told(runtime, news.id)) == {(PAT, world.patient), (REL, world.consenting_daughter)}
        assert {n.category for n in notifications(runtime, news.id)} == {"appointments"}

    def test_waitlist_offer_reaches_patient_and_consenting_family(self, runtime, world):
        offer = waitlist_offer(world)
        world.deliver(offer)
        assert set(told(runtime, offer.id)) == {(PAT, world.patient), (REL, world.consenting_daughter)}

    def test_cancellation_that_is_half_of_a_reschedule_is_not_told_twice(self, runtime, world):
        cancel = event("scheduling.appointment-cancelled", {**world.appointment(), "reason_code": "rescheduled"})
        world.deliver(cancel)
        assert told(runtime, cancel.id) == {}

    def test_reminder_shows_the_time_in_the_patients_own_time_zone(self, runtime, world, clock):
        news = appointment_news(world, "scheduling.appointment-reminder-due")
        world.deliver(news)
        note = next(n for n in notifications(runtime, news.id) if n.recipient_type == PAT)
        # 14:00 UTC the next day is 09:00 in New York (EST).
        assert note.body == "Reminder: your follow-up visit is on Tue 03 Mar 2026, 09:00 EST. It is a video visit."


    def test_a_visit_whose_authorization_was_denied_is_explained_to_the_patient(self, runtime, world):
        news = appointment_news(world, "scheduling.appointment-authorization-at-risk")
        world.deliver(news)
        note = next(n for n in notifications(runtime, news.id) if n.recipient_type == PAT)
        assert "follow-up visit" in note.body and "was denied" in note.body


class TestBilling:
    def test_prior_auth_request_is_a_task_for_billing_staff(self, runtime, world):
        request = event("billing.prior-auth-requested", {
            "prior_auth_id": uuid.uuid4(), "patient_id": world.patient, "coverage_id": uuid.uuid4(),
            "payer_id": "AETNA", "service_code": "72148", "requested_units": 1})
        world.deliver(request)
        assert set(told(runtime, request.id)) == {(P, world.billing_clerk)}

    def test_prior_auth_decision_reaches_care_team_and_patient_not_family_without_billing_consent(self, runtime, world):
        decision = event("billing.prior-auth-decided", {
            "prior_auth_id": uuid.uuid4(), "patient_id": world.patient, "service_code": "72148",
            "status": "approved", "authorized_units": 1})
        world.deliver(decision)
        assert set(told(runtime, decision.id)) == {(P, world.coordinator), (P, world.nurse), (P, world.physician),
                                                   (PAT, world.patient)}

    def test_prior_auth_decision_reaches_family_who_consent_to_billing(self, runtime, world):
        from support import related_person_changed
        world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2, billing=True))
        decision = event("billing.prior-auth-decided", {
            "prior_auth_id": uuid.uuid4(), "patient_id": world.patient, "service_code": "72148", "status": "denied"})
        world.deliver(decision)
        assert (REL, world.consenting_daughter) in told(runtime, decision.id)

    @pytest.mark.parametrize("event_type,data,patient_told", [
        ("billing.claim-denied", {"claim_id": uuid.uuid4(), "reason_codes": ["197"]}, True),
        ("billing.issue-opened", {"issue_id": uuid.uuid4(), "category": "disputed-charge", "opened_by": "portal"},
         False),
    ])
    def test_billing_staff_hear_of_denied_claims_and_new_issues(self, runtime, world, event_type, data,
                                                               patient_told):
        news = event(event_type, {**data, "patient_id": world.patient})
        world.deliver(news)
        # The patient reads a denial's outcome too; the care team does not.
        assert set(told(runtime, news.id)) == {(P, world.billing_clerk)} | (
            {(PAT, world.patient)} if patient_told else set())
        assert {n.category for n in notifications(runtime, news.id)} == {"billing"}

    def test_claim_outcomes_and_estimates_reach_the_patient_and_family_with_billing_consent(self, runtime, world):
        from support import related_person_changed
        money = {"amount": "20.00", "currency": "USD"}
        paid = event("billing.claim-paid", {"claim_id": uuid.uuid4(), "patient_id": world.patient, "paid": money,
                                            "patient_responsibility": money})
        world.deliver(paid)
        assert set(told(runtime, paid.id)) == {(PAT, world.patient)}  # the daughter: no billing consent
        world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2, billing=True))
        estimate = {"estimate_id": uuid.uuid4(), "patient_id": world.patient, "service_code": "99214",
                    "category": "primary-care", "service_date": "2026-03-10", "basis": "no-coverage",
                    **{name: money for name in ("charge", "copay", "deductible", "coinsurance", "patient_pays",
                                                "plan_pays")}}
        for include_family, expected in ((True, {(PAT, world.patient), (REL, world.consenting_daughter)}),
                                         (False, {(PAT, world.patient)})):
            sent = event("billing.estimate-sent", {**estimate, "sending_id": uuid.uuid4(),
                                                   "include_family": include_family})
            world.deliver(sent)
            assert set(told(runtime, sent.id)) == expected



class TestForOutsideSubscribersOnly:
    """Issue 25, item 6: published types no service acts on reach webhook subscriptions, and nobody else."""

    def test_a_submitted_claim_goes_to_the_webhook_that_asked_and_to_no_person(self, runtime, world):
        from support import subscribe_webhook
        subscription = subscribe_webhook(runtime, "http://127.0.0.1:9/hook", ["billing.claim-submitted"])
        submitted = event("billing.claim-submitted", {
            "claim_id": uuid.uuid4(), "patient_id": world.patient, "coverage_id": uuid.uuid4(),
            "service_codes": ["99214"], "billed": {"amount": "100.00", "currency": "USD"}})
        world.deliver(submitted)
        assert set(told(runtime, submitted.id)) == {("webhook", subscription)}


class TestStaffNoticesSayWhatChanged:
    """Issue 25, item 9: what changed, counted; no second notice for the system's own changes; one per course."""

    def test_the_team_reads_what_changed_counted_per_section(self, runtime, world):
        update = world.plan_updated()
        update.data["section_changes"] = [{"section": "goals", "added": 1, "changed": 0, "removed": 0},
                                          {"section": "medications", "added": 0, "changed": 1, "removed": 0}]
        world.deliver(update)
        note = next(n for n in notifications(runtime, update.id) if n.recipient_id == world.nurse)
        assert note.body == ("Patient MRN-2041: Version 3 of the care plan (active) changed: goals: 1 added; "
                             "medications: 1 changed.")

    def test_a_change_the_system_made_tells_nobody_again(self, runtime, world):
        update = world.plan_updated(patient_facing=False)
        update.data["by_system"] = True
        world.deliver(update)
        assert told(runtime, update.id) == {}

    def test_a_course_booked_at_once_is_one_notice(self, runtime, world):
        series = uuid.uuid4()
        course = [event("scheduling.appointment-booked", {
            **world.appointment(code="physical-therapy"), "series_id": series, "series_index": index,
            "series_size": 3}) for index in (1, 2, 3)]
        world.deliver(*course)
        assert set(told(runtime, course[0].id)) == {(PAT, world.patient), (REL, world.consenting_daughter)}
        assert told(runtime, course[1].id) == {} and told(runtime, course[2].id) == {}
        note = next(n for n in notifications(runtime, course[0].id) if n.recipient_type == PAT)
        assert note.body.startswith("Your 3 physical therapy sessions are booked, the first on ")


def test_staff_notices_name_the_patient_by_mrn_and_nobody_else_reads_it(runtime, world):
    """Issue 25, item 9: staff are entitled to know which patient; the patient's and family's words do not carry it."""
    no_show = world.missed()
    world.deliver(no_show)
    by_recipient = {n.recipient_id: n for n in notifications(runtime, no_show.id)}
    assert by_recipient[world.nurse].body.startswith("Patient MRN-2041: The patient missed")
    assert "MRN-2041" not in by_recipient[world.patient].body
    assert "MRN-2041" not in by_recipient[world.consenting_daughter].body


def test_a_nursing_home_visit_reminds_the_facility_staff_not_the_resident(runtime, world):
    """Issue 25, item 14 (c): the reminder of a nursing-home visit goes to the team's nurses only."""
    reminder = event("scheduling.appointment-reminder-due", {
        **world.appointment(), "setting": "nursing-home", "offset_minutes": 1440, "telehealth": False})
    world.deliver(reminder)
    assert set(told(runtime, reminder.id)) == {(P, world.nurse)}
    note = next(n for n in notifications(runtime, reminder.id))
    assert note.body.startswith("Patient MRN-2041: The resident's follow-up visit is on ")
