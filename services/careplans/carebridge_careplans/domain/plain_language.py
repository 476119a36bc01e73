"""A care plan told in everyday words, for the patient and their family:
what to take and when, upcoming visits, diet and therapy steps, what to
watch for and whom to call. Built from the plan document alone."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_date_format

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
PHRASES = {
    "emergency": EMERGENCY,
    "as_told": "as your care team told you",
    "as_shown": "as your care team showed you",
    "at_times": " (at {times})",
    "and": " and ",
    "only_when_needed": ", only when you need it",
    "paused_medicine": "Paused: do not take it until your care team tells you to start again.",
    "new_medicine": "This is a new medicine for you.",
    "for_days": "for {days} days",
    "between": "between {start} and {end}",
    "on_or_after": "on or after {start}",
    "by": "by {end}",
    "soon": "soon; your care team will help you pick a day",
    "booked": "This is booked. You will get a reminder before the day.",
    "missed": "This visit was missed. Please call your care team to book a new time.",
    "on_hold": "This is paused for now; your care team will tell you when to book it.",
    "in_progress": "This has started. Keep going to every session that is booked.",
    "will_help_book": "Your care team will help you book this.",
    "a_visit": "a visit with your care team",
    "moment": "{day} at {time} {zone}",
    "therapy": "therapy",
    "how_often": "{per_week} times a week for {weeks} weeks",
    "will_arrange": "Your care team will arrange this with you.",
    "care_team": "your care team",
    "lead_coordinator": "Your care coordinator, who leads your care team",
    "fallback": "This summary is in English because it is not yet written in your language. "
                "Ask your care team for an interpreter; it is free.",
    "care_team_english": None,
}
# The printable page's own words.
PAGE = {
    "lang": "en",
    "title": "Your care plan",
    "from": "From",
    "to": "to",
    "draft": "This plan is still being prepared by your care team.",
    "medicines": "Your medicines",
    "medicine": "Medicine",
    "how_much": "How much",
    "how_and_when": "How and when",
    "notes": "Notes",
    "take_it": "Take it",
    "stop_taking": "Medicines to stop taking",
    "visits": "Your upcoming visits",
    "diet": "Food and drink",
    "therapy": "Exercise and therapy",
    "starting": "starting",
    "goals": "What we are working towards",
    "by": "by",
    "learning": "Things to learn about",
    "watch_for": "What to watch for",
    "if_this_happens": "If this happens",
    "do_this": "Do this",
    "whom_to_call": "Whom to call",
    "call_clinic": "Call your care team at the number your clinic gave you.",
}
SUMMARY_LANGUAGES = ("en", "es")
# Babel locale of each language the summary is written in.
_LOCALES = {"en": "en_US", "es": "es_US"}


@dataclass(frozen=True)
class Words:
    """Every word of the summary in one language."""
    language: str
    patient_words: dict
    frequency_words: dict
    route_words: dict
    warning_actions: dict
    contact_words: dict
    phrases: dict
    page: dict

    @property
    def locale(self) -> str:
        return _LOCALES[self.language]

    @property
    def day_pattern(self) -> str:
        """The locale's full date without the year ("Tuesday, March 10", "martes, 10 de marzo")."""
        return re.sub(r"[,\s]*('de'\s*)?y+\s*$", "", get_date_format("full", locale=self.locale).pattern)


def summary_language(language: str | None) -> str:
    """The language a summary is written in for a preferred language
    (BCP 47 tag): its own when written in it, English otherwise."""
    wanted = (language or "en").strip().lower().split("-")[0]
    return wanted if wanted in SUMMARY_LANGUAGES else "en"


def words_for(language: str | None) -> Words:
    if summary_language(language) == "es":
        from . import summary_words_es as es
        return Words("es", es.PATIENT_WORDS, es.FREQUENCY_WORDS, es.ROUTE_WORDS, es.WARNING_ACTIONS,
                     es.CONTACT_WORDS, es.PHRASES, es.PAGE)
    return Words("en", PATIENT_WORDS, FREQUENCY_WORDS, ROUTE_WORDS, WARNING_ACTIONS, CONTACT_WORDS, PHRASES, PAGE)


def activity_identity(kind: str, detail: dict) -> str | None:
    """What names an activity across its template and the plans made from it
    (the medicine's or the appointment type's code; the kind alone for the rest)."""
    return detail.get("rxnorm_code") or detail.get("appointment_type_code") or None


# Words that read the same in every language: numbers and units ("40 mg", "130/80 mmHg").
_NEUTRAL = re.compile(r"\b(mg/dL|mmHg|mcg|mg|kg|lbs|lb|mL|ml|g|L|IU|units?)\b|[^A-Za-z]+")


def _has_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]", _NEUTRAL.sub("", text)))


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


class _Summary:
    """The summary's sentences in one language; dates and times by Babel."""

    def __init__(self, words: Words, time_zone: str | None, translations: dict | None = None):
        self.w = words
        self.p = words.phrases
        self.time_zone = time_zone
        self.translations = translations or {}
        self.kept_english = False

    def text(self, key: tuple, english: str | None) -> str | None:
        """A text of the plan in the summary's language: the template's
        translation while it is still the template's English, else as the
        care team wrote it (and, outside English, noted as such)."""
        if not english or self.w.language == "en":
            return english
        found = self.translations.get((*key, english))
        if found is None and _has_words(english):
            self.kept_english = True
        return found or english

    def of_activity(self, activity: dict, field: str) -> str | None:
        detail = detail_of(activity)
        english = activity.get(field) if field in ("description", "instructions") else detail.get(field)
        return self.text(("activity", activity["kind"], activity_identity(activity["kind"], detail), field), english)

    def day(self, value: str | None) -> str | None:
        if not value:
            return None
        return format_date(date.fromisoformat(value), self.w.day_pattern, locale=self.w.locale)

    def clock(self, value: time) -> str:
        text = format_time(value, "h:mm a", locale=self.w.locale)
        return text.replace("AM", "am").replace("PM", "pm") if self.w.language == "en" else text

    def when_to_take(self, detail: dict) -> str:
        text = self.w.frequency_words.get(detail.get("frequency"), self.p["as_told"])
        times = detail.get("times_of_day") or []
        if times:
            text += self.p["at_times"].format(times=self.p["and"].join(self.clock(time.fromisoformat(t))
                                                                      for t in times))
        if detail.get("as_needed") and detail.get("frequency") != "as-needed":
            text += self.p["only_when_needed"]
        return text

    def medicine(self, activity: dict) -> dict:
        detail = detail_of(activity)
        notes = self.of_activity(activity, "instructions")
        if activity["status"] == "on-hold":
            notes = self.p["paused_medicine"]
        elif activity["status"] in ("not-started", "scheduled"):
            notes = " ".join(filter(None, [notes, self.p["new_medicine"]]))
        return {
            "name": detail.get("name"),
            "what_for": self.of_activity(activity, "purpose"),
            "how_much": self.of_activity(activity, "dose"),
            "how": self.w.route_words.get(detail.get("route"), self.p["as_shown"]),
            "when": self.when_to_take(detail),
            "for_how_long": self.p["for_days"].format(days=detail["duration_days"])
            if detail.get("duration_days") else None,
            "notes": notes or None,
        }

    def window(self, detail: dict) -> str:
        start, end = self.day(detail.get("window_start")), self.day(detail.get("window_end"))
        if start and end:
            return self.p["between"].format(start=start, end=end)
        if start:
            return self.p["on_or_after"].format(start=start)
        if end:
            return self.p["by"].format(end=end)
        return self.p["soon"]

    def booking(self, activity: dict) -> str:
        if activity["status"] == "scheduled":
            return self.p["booked"]
        if activity.get("status_reason") == "missed-appointment":
            return self.p["missed"]
        if activity["status"] == "on-hold":
            return self.p["on_hold"]
        if activity["status"] == "in-progress":
            return self.p["in_progress"]
        return self.p["will_help_book"]

    def moment(self, value: str) -> str:
        """A booked visit's start in the patient's own time zone ("Tuesday, March 10 at 10:00 am EDT")."""
        when = datetime.fromisoformat(value)
        when = when.astimezone(ZoneInfo(self.time_zone)) if self.time_zone else when.astimezone(timezone.utc)
        return self.p["moment"].format(day=format_date(when.date(), self.w.day_pattern, locale=self.w.locale),
                                       time=self.clock(when.time()), zone=f"{when:%Z}")

    def visit(self, activity: dict) -> dict:
        detail = detail_of(activity)
        what = self.w.patient_words.get(detail.get("appointment_type_code"), self.p["a_visit"])
        if detail.get("purpose"):
            what += f" ({self.of_activity(activity, 'purpose')})"
        booked = activity["status"] == "scheduled" and detail.get("booked_start")
        when = self.moment(detail["booked_start"]) if booked else self.window(detail)
        return {"what": _capital(what), "when": when, "booking": self.booking(activity)}

    def therapy(self, activity: dict) -> dict:
        detail = detail_of(activity)
        booked_as = self.w.patient_words.get(detail.get("appointment_type_code") or "")
        what = self.of_activity(activity, "description") or booked_as or self.p["therapy"]
        return {
            "what": _capital(what),
            "how_often": self.p["how_often"].format(per_week=detail["sessions_per_week"],
                                                    weeks=detail["duration_weeks"]),
            "starting": self.day(detail.get("start_date")),
            "sessions_done": detail.get("sessions_completed") or 0,
            "booking": self.booking(activity) if booked_as else self.p["will_arrange"],
            "notes": self.of_activity(activity, "instructions"),
        }

    def contact(self, contact: dict) -> dict:
        role = self.w.contact_words.get(contact["role"], self.p["care_team"])
        who = f"{contact['name']}, {role}" if contact.get("name") else _capital(role)
        return {"who": who, "phone": contact.get("phone"), "when": contact.get("hours")}

    def whom_to_call(self, contacts: list, lead_coordinator_id) -> list[dict]:
        """The plan's contacts; the care team's lead coordinator among them
        (first, when the plan names no coordinator)."""
        lines = [self.contact(c) for c in contacts]
        if lead_coordinator_id is not None and not any(c["role"] == "coordinator" for c in contacts):
            lines.insert(0, {"who": self.p["lead_coordinator"], "phone": None, "when": None,
                             "practitioner_id": str(lead_coordinator_id)})
        return lines


def summarise(document: dict, *, time_zone: str | None = None, lead_coordinator_id=None,
              language: str | None = None, translations: dict | None = None) -> dict:
    """The patient-facing summary of one plan document, in the patient's
    preferred `language` (English, saying so, when the summary is not
    written in it); a booked visit is shown at its time in the patient's
    `time_zone`. The texts the plan took from its template are told in the
    summary's language from `translations` (reference/template_texts.py);
    what the care team wrote or changed (and medicine names) stays as they
    wrote it, and a Spanish summary then says so at the top."""
    words = words_for(language)
    said = _Summary(words, time_zone, translations)
    asked = (language or "en").strip().lower().split("-")[0]
    open_activities = [a for a in document["activities"] if a["status"] in OPEN_ACTIVITY_STATUSES]

    def of_kind(kind):
        return [a for a in open_activities if a["kind"] == kind]

    summary = {
        "plan_id": document["id"],
        "language": words.language,
        "title": said.text(("title",), document["title"]),
        "plan_status": document["status"],
        "period": {"start": said.day(document["period"]["start"]), "end": said.day(document["period"].get("end"))},
        "medicines": [said.medicine(a) for a in of_kind("medication")],
        "stop_taking": [{"name": detail_of(a).get("name"), "notes": said.of_activity(a, "instructions")}
                        for a in document["activities"] if a["kind"] == "medication" and a["status"] == "stopped"],
        "visits": [said.visit(a) for a in of_kind("follow-up")],
        "diet": [{"what": said.of_activity(a, "recommendation"), "notes": said.of_activity(a, "instructions")}
                 for a in of_kind("diet")],
        "therapy": [said.therapy(a) for a in of_kind("therapy")],
        "learning": [{"topic": said.of_activity(a, "topic"), "material": said.of_activity(a, "material")}
                     for a in of_kind("education")],
        "goals": [{"goal": said.text(("goal",), g["description"]),
                   "by_when": said.day((g.get("target") or {}).get("due_date"))}
                  for g in document["goals"] if g["lifecycle_status"] not in GOAL_FINAL_STATUSES],
        "watch_for": [{"sign": said.text(("warning_sign",), w["sign"]), "what_to_do": words.warning_actions[w["action"]]}
                      for w in document.get("warning_signs") or []],
        "whom_to_call": said.whom_to_call(document.get("contacts") or [], lead_coordinator_id),
        "emergency": words.phrases["emergency"],
    }
    if asked != words.language:
        summary["language_note"] = PHRASES["fallback"]
    else:  # known only now that every text has been looked up
        summary["language_note"] = words.phrases["care_team_english"] if said.kept_english else None
    return summary
