"""Who hears what: one rule per event type the service fans out.

Read a rule as a sentence: for this event, in this category, tell these
audiences (see `routing.AUDIENCES`), with this wording, urgently when the
condition holds. Only care-team members active when the event happened are
told; related persons only with consent to the category; each person's
preferences then pick the channels.
"""
from .conditions import ALWAYS, AllOf, FieldIn, FieldIs, Not
from .routing import Rule, Send

PATIENT_FACING = FieldIs("patient_facing", True)
# Severe, and still a danger: not overridden after review, not blocked
# (a blocked change never reached the patient).
SEVERE_AND_OPEN = AllOf((FieldIn("severity", ("major", "contraindicated")), FieldIs("overridden", False),
                         Not(FieldIs("outcome", "blocked"))))
# A monitoring alert that escalates at once (a critical reading: SpO2 under
# 88%, systolic over 180) or a trend the nurse must act on today.
ALERT_NEEDS_ACTION = FieldIn("severity", ("urgent", "critical"))
# Triage calls the team must hear of at once; the others need no notification.
TRIAGE_CANNOT_WAIT = FieldIn("disposition", ("emergency", "same-day"))


# A nursing-home resident's visit (issue 25, item 14): the facility's staff
# (the team's nurses) are reminded, the resident and family are not.
AT_A_NURSING_HOME = FieldIs("setting", "nursing-home")

FIRST_CHECK_IN = AllOf((FieldIs("code", "check-in"), FieldIs("previous_owner_id", None)))


def _patient_and_family(template: str) -> tuple[Send, Send]:
    return Send("patient", template), Send("family", template)


RULES: dict[str, Rule] = {
    # A change the system made from another event (a visit booked or missed)
    # is not a second notice to the team: that event told them.
    "careplans.plan-updated": Rule("care_plan", (
        Send("care-team", "plan-updated", only_when=Not(FieldIs("by_system", True))),
        Send("patient", "plan-updated", only_when=PATIENT_FACING),
        Send("family", "plan-updated", only_when=PATIENT_FACING),
    )),
    # Staff sent the plan's plain-language summary (the secure page shows it,
    # ready to print); the family only when the sender included them.
    "careplans.plan-summary-sent": Rule("care_plan", (
        Send("patient", "plan-summary"),
        Send("family", "plan-summary", only_when=FieldIs("include_family", True)),
    )),
    # A check-in task, when first opened, also asks the patient how they
    # are (the secure message page has the form).
    "careplans.task-assigned": Rule("tasks", (
        Send("task-owner", "task-assigned"),
        Send("patient", "check-in-request", only_when=FIRST_CHECK_IN),
    )),
    "careplans.task-overdue": Rule("tasks", (
        Send("task-owner", "task-overdue"),
        Send("lead-coordinator", "task-overdue-team-lead"),
    )),
    # An alert a clinician already overrode, or whose change was blocked, is
    # still shared, but nobody is chased to acknowledge it.
    "careplans.medication-alert": Rule("medication_safety", (
        Send("prescriber", "medication-alert", urgent_when=SEVERE_AND_OPEN),
        Send("team-nurses", "medication-alert", urgent_when=SEVERE_AND_OPEN),
    )),
    "scheduling.appointment-missed": Rule("appointments", (
        Send("lead-coordinator", "appointment-missed", urgent_when=ALWAYS),
        Send("team-nurses", "appointment-missed", urgent_when=ALWAYS),
        *_patient_and_family("appointment-missed"),
    )),
    "scheduling.appointment-reminder-due": Rule("appointments", (
        Send("team-nurses", "appointment-reminder", only_when=AT_A_NURSING_HOME),
        Send("patient", "appointment-reminder", only_when=Not(AT_A_NURSING_HOME)),
        Send("family", "appointment-reminder", only_when=Not(AT_A_NURSING_HOME)),
    )),
    # A recurring course booked at once is one notice (on its first visit), not one per visit.
    "scheduling.appointment-booked": Rule("appointments", (
        Send("patient", "appointment-booked", only_when=FieldIs("series_index", None)),
        Send("family", "appointment-booked", only_when=FieldIs("series_index", None)),
        Send("patient", "appointment-series-booked", only_when=FieldIs("series_index", 1)),
        Send("family", "appointment-series-booked", only_when=FieldIs("series_index", 1)),
    )),
    "scheduling.appointment-rescheduled": Rule("appointments", _patient_and_family("appointment-rescheduled")),
    # A cancellation that is half of a reschedule is told by the reschedule.
    "scheduling.appointment-cancelled": Rule("appointments", _patient_and_family("appointment-cancelled"),
                                             skip_when=FieldIs("reason_code", "rescheduled")),
    "scheduling.waitlist-offered": Rule("appointments", _patient_and_family("waitlist-offered")),
    # A booked visit whose prior authorization was denied, expired or runs out
    # before it (the coordinator gets a task from careplans).
    "scheduling.appointment-authorization-at-risk": Rule("appointments",
                                                         _patient_and_family("appointment-authorization-at-risk")),
    "billing.prior-auth-requested": Rule("billing", (
        Send("billing-staff", "prior-auth-requested"),
    )),
    "billing.prior-auth-decided": Rule("billing", (
        Send("care-team", "prior-auth-decided"),
        *_patient_and_family("prior-auth-decided"),
    )),
    # Staff sent a cost estimate; the family only when the sender included them.
    "billing.estimate-sent": Rule("billing", (
        Send("patient", "estimate-sent"),
        Send("family", "estimate-sent", only_when=FieldIs("include_family", True)),
    )),
    # A claim's outcome, in plain words: what the insurance paid and what the
    # patient owes, or why it said no and what happens next.
    "billing.claim-denied": Rule("billing", (
        Send("billing-staff", "claim-denied"),
        *_patient_and_family("claim-denied"),
    )),
    "billing.claim-paid": Rule("billing", _patient_and_family("claim-paid")),
    "billing.issue-opened": Rule("billing", (
        Send("billing-staff", "issue-opened"),
    )),
    "monitoring.alert-opened": Rule("tasks", (
        Send("team-nurses", "monitoring-alert", urgent_when=ALERT_NEEDS_ACTION),
        Send("lead-coordinator", "monitoring-alert", urgent_when=ALERT_NEEDS_ACTION),
    )),
    "monitoring.triage-recorded": Rule("tasks", (
        Send("team-nurses", "triage-urgent", urgent_when=ALWAYS),
        Send("lead-coordinator", "triage-urgent", urgent_when=ALWAYS),
    ), skip_when=Not(TRIAGE_CANNOT_WAIT)),
    # For outside subscribers only: no person is told; webhook subscriptions
    # may ask for them (docs/architecture.md, "For outside subscribers only").
    **{event_type: Rule(category, ()) for event_type, category in (
        ("careplans.plan-status-changed", "care_plan"),
        ("scheduling.appointment-checked-in", "appointments"),
        ("billing.claim-submitted", "billing"),
        ("billing.issue-resolved", "billing"),
    )},
}
# The event types above that only webhook subscriptions receive.
WEBHOOK_ONLY = tuple(sorted(event_type for event_type, rule in RULES.items() if not rule.sends))

# Escalation of an urgent notification nobody acknowledged: each step goes to
# the next audience, `ESCALATION_AFTER_MINUTES` after the previous one, and
# only to people not told about the event yet (nor staff in training):
# "care-team-others": the patient's care team now (lead coordinator, then
# members by role: coordinators, nurses, physicians, specialists, others);
# "on-call": whoever the duty rota has on call now (else ON_CALL_NURSE_ID);
# "supervisor": whoever the duty rota has supervising now. An audience with
# nobody new in it is skipped.
ESCALATION_CHAIN = ("care-team-others", "on-call", "supervisor")
