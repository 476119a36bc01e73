"""A care plan told in everyday words, for the patient and their family:
what to take and when, upcoming visits, diet and therapy steps, what to
watch for and whom to call. Built from the plan document alone."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from .lifecycles import GOAL_FINAL_STATUSES, OPEN_ACTIVITY_STATUSES
from .plan_documents import detail_of

# How the summary names a visit of each shared appointment type
# (carebridge.vocabulary.appointment_types: the codes are the kit's, the words
# are ours). A test keeps this in step with the shared list.
PATIENT_WORDS = {
    "new-patient": "a first visit with a new doctor",
    "follow-up": "a follow-up visit with your doctor",
    "cardiology-follow-up": "a follow-up visit with your heart doctor",
    "specialist-consult": "a visit with a specialist doctor",
    "physical-therapy": "a physical therapy session",
    "telehealth-check-in": "a short phone or video check-in with your care team",
    "echocardiogram": "an ultrasound scan of your heart (echocardiogram)",
    "mri-lumbar-spine": "an MRI scan of your lower back",
}

FREQUENCY_WORDS = {
    "once-daily": "once a day",
    "twice-daily": "2 times a day",
    "three-times-daily": "3 times a day",
    "four-times-daily": "4 times a day",
    "every-morning": "every morning",
    "every-evening": "every evening",
    "at-bedtime": "at bedtime",
    "every-8-hours": "every 8 hours",
    "every-12-hours": "every 12 hours",
    "every-other-day": "every other day",
    "weekly": "once a week",
    "as-needed": "only when you need it",
}
ROUTE_WORDS = {
    "oral": "by mouth",
    "sublingual": "under your tongue, and let it melt",
    "subcutaneous": "as an injection under the skin",
    "intramuscular": "as an injection into a muscle",
    "intravenous": "through a drip into a vein, given by a nurse",
    "inhaled": "breathed in from an inhaler",
    "topical": "rubbed on the skin",
    "transdermal": "as a patch on the skin",
    "ophthalmic": "as drops in the eye",
    "nasal": "as a spray in the nose",
    "rectal": "as a suppository",
}
WARNING_ACTIONS = {
    "call-care-team": "Call your care team the same day.",
    "call-emergency": "Call 911 right away.",
}
CONTACT_WORDS = {
    "coordinator": "your care coordinator",
    "nurse": "your nurse",
    "physician": "your doctor",
    "specialist": "your specialist doctor",
    "therapist": "your therapist",
    "pharmacist": "your pharmacist",
    "social-worker": "your social worker",
    "after-hours-line": "the after-hours line",
    "other": "your care team",
}
EMERGENCY = "If you have chest pain, trouble breathing, fainting or signs of a stroke, call 911."


def _day(value: str | None) -> str | None:
    if not value:
        return None
    parsed = date.fromisoformat(value)
    return f"{parsed:%A}, {parsed:%B} {parsed.day}"


def _clock(value: str) -> str:
    hours, minutes = (int(part) for part in value.split(":"))
    suffix = "am" if hours < 12 else "pm"
    return f"{(hours % 12) or 12}:{minutes:02d} {suffix}"


def _when_to_take(detail: dict) -> str:
    words = FREQUENCY_WORDS.get(detail.get("frequency"), "as your care team told you")
    times = detail.get("times_of_day") or []
    if times:
        words += " (at " + " and ".join(_clock(t) for t in times) + ")"
    if detail.get("as_needed") and detail.get("frequency") != "as-needed":
        words += ", only when you need it"
    return words


def _medicine(activity: dict) -> dict:
    detail = detail_of(activity)
    notes = activity.get("instructions")
    if activity["status"] == "on-hold":
        notes = "Paused: do not take it until your care team tells you to start again."
    elif activity["status"] in ("not-started", "scheduled"):
        notes = " ".join(filter(None, [notes, "This is a new medicine for you."]))
    return {
        "name": detail.get("name"),
        "what_for": detail.get("purpose"),
        "how_much": detail.get("dose"),
        "how": ROUTE_WORDS.get(detail.get("route"), "as your care team showed you"),
        "when": _when_to_take(detail),
        "for_how_long": f"for {detail['duration_days']} days" if detail.get("duration_days") else None,
        "notes": notes or None,
    }


def _window(detail: dict, field_start: str = "window_start", field_end: str = "window_end") -> str:
    start, end = _day(detail.get(field_start)), _day(detail.get(field_end))
    if start and end:
        return f"between {start} and {end}"
    if start:
        return f"on or after {start}"
    if end:
        return f"by {end}"
    return "soon; your care team will help you pick a day"


def _booking(activity: dict) -> str:
    if activity["status"] == "scheduled":
        return "This is booked. You will get a reminder before the day."
    if activity.get("status_reason") == "missed-appointment":
        return "This visit was missed. Please call your care team to book a new time."
    if activity["status"] == "on-hold":
        return "This is paused for now; your care team will tell you when to book it."
    if activity["status"] == "in-progress":
        return "This has started. Keep going to every session that is booked."
    return "Your care team will help you book this."


def _moment(value: str, time_zone: str | None) -> str:
    """A booked visit's start in the patient's own time zone ("Tuesday, March 10 at 10:00 am EDT")."""
    when = datetime.fromisoformat(value)
    when = when.astimezone(ZoneInfo(time_zone)) if time_zone else when.astimezone(timezone.utc)
    return f"{when:%A}, {when:%B} {when.day} at {_clock(f'{when:%H:%M}')} {when:%Z}"


def _visit(activity: dict, time_zone: str | None = None) -> dict:
    detail = detail_of(activity)
    what = PATIENT_WORDS.get(detail.get("appointment_type_code"), "a visit with your care team")
    if detail.get("purpose"):
        what += f" ({detail['purpose']})"
    booked = activity["status"] == "scheduled" and detail.get("booked_start")
    when = _moment(detail["booked_start"], time_zone) if booked else _window(detail)
    return {"what": what[0].upper() + what[1:], "when": when, "booking": _booking(activity)}


def _therapy(activity: dict) -> dict:
    detail = detail_of(activity)
    booked_as = PATIENT_WORDS.get(detail.get("appointment_type_code") or "")
    what = activity.get("description") or booked_as or "therapy"
    plan = f"{detail['sessions_per_week']} times a week for {detail['duration_weeks']} weeks"
    return {
        "what": what[0].upper() + what[1:],
        "how_often": plan,
        "starting": _day(detail.get("start_date")),
        "sessions_done": detail.get("sessions_completed") or 0,
        "booking": _booking(activity) if booked_as else "Your care team will arrange this with you.",
        "notes": activity.get("instructions"),
    }


def _contact(contact: dict) -> dict:
    role = CONTACT_WORDS.get(contact["role"], "your care team")
    who = f"{contact['name']}, {role}" if contact.get("name") else role[0].upper() + role[1:]
    return {"who": who, "phone": contact.get("phone"), "when": contact.get("hours")}


def _whom_to_call(contacts: list, lead_coordinator_id) -> list[dict]:
    """The plan's contacts; the care team's lead coordinator among them
    (first, when the plan names no coordinator)."""
    lines = [_contact(c) for c in contacts]
    if lead_coordinator_id is not None and not any(c["role"] == "coordinator" for c in contacts):
        lines.insert(0, {"who": "Your care coordinator, who leads your care team", "phone": None, "when": None,
                         "practitioner_id": str(lead_coordinator_id)})
    return lines


def summarise(document: dict, *, time_zone: str | None = None, lead_coordinator_id=None) -> dict:
    """The patient-facing summary of one plan document; a booked visit is
    shown at its time in the patient's `time_zone`."""
    open_activities = [a for a in document["activities"] if a["status"] in OPEN_ACTIVITY_STATUSES]

    def of_kind(kind):
        return [a for a in open_activities if a["kind"] == kind]

    return {
        "plan_id": document["id"],
        "title": document["title"],
        "plan_status": document["status"],
        "period": {"start": _day(document["period"]["start"]), "end": _day(document["period"].get("end"))},
        "medicines": [_medicine(a) for a in of_kind("medication")],
        "stop_taking": [{"name": detail_of(a).get("name"), "notes": a.get("instructions")}
                        for a in document["activities"] if a["kind"] == "medication" and a["status"] == "stopped"],
        "visits": [_visit(a, time_zone) for a in of_kind("follow-up")],
        "diet": [{"what": detail_of(a)["recommendation"], "notes": a.get("instructions")} for a in of_kind("diet")],
        "therapy": [_therapy(a) for a in of_kind("therapy")],
        "learning": [{"topic": detail_of(a)["topic"], "material": detail_of(a).get("material")}
                     for a in of_kind("education")],
        "goals": [{"goal": g["description"], "by_when": _day((g.get("target") or {}).get("due_date"))}
                  for g in document["goals"] if g["lifecycle_status"] not in GOAL_FINAL_STATUSES],
        "watch_for": [{"sign": w["sign"], "what_to_do": WARNING_ACTIONS[w["action"]]}
                      for w in document.get("warning_signs") or []],
        "whom_to_call": _whom_to_call(document.get("contacts") or [], lead_coordinator_id),
        "emergency": EMERGENCY,
    }
