"""A care plan as one plain document (what each version stores, what the API
shows, what the summary reads) and the rules that compare two of them: what
changed, by section; whether the patient must be told; which visits and
therapy sessions somebody has to book."""
from __future__ import annotations

from .lifecycles import OPEN_ACTIVITY_STATUSES

ACTIVITY_KINDS = ("medication", "follow-up", "diet", "therapy", "education", "check-in", "monitoring")
# The key under which an activity document holds its kind's details.
DETAIL_KEYS = {"medication": "medication", "follow-up": "follow_up", "diet": "diet", "therapy": "therapy",
               "education": "education", "check-in": "check_in", "monitoring": "monitoring"}
DETAIL_FIELDS = ("title", "description", "conditions", "period", "care_team_id", "warning_signs", "contacts")
# Details a patient reads in their summary.
PATIENT_FACING_DETAILS = frozenset({"period", "warning_signs", "contacts"})
PATIENT_FACING_KINDS = frozenset({"medication", "follow-up", "therapy", "diet", "education"})
SCHEDULED_KINDS = frozenset({"follow-up", "therapy"})


def detail_of(activity: dict) -> dict:
    return activity.get(DETAIL_KEYS[activity["kind"]]) or {}


def _flatten(item: dict) -> dict:
    flat = {}
    for key, value in item.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{inner}": inner_value for inner, inner_value in value.items()})
        else:
            flat[key] = value
    return flat


def _items_diff(before: list[dict], after: list[dict]) -> dict:
    old = {item["id"]: item for item in before}
    new = {item["id"]: item for item in after}
    changed = []
    for item_id in new.keys() & old.keys():
        a, b = _flatten(old[item_id]), _flatten(new[item_id])
        changes = {key: {"from": a.get(key), "to": b.get(key)}
                   for key in sorted(a.keys() | b.keys()) if a.get(key) != b.get(key)}
        if changes:
            changed.append({"id": item_id, "changes": changes})
    return {
        "added": [new[i] for i in new if i not in old],
        "changed": sorted(changed, key=lambda c: [i["id"] for i in after].index(c["id"])),
        "removed": [old[i] for i in old if i not in new],
    }


def _is_empty(items_diff: dict) -> bool:
    return not (items_diff["added"] or items_diff["changed"] or items_diff["removed"])


def diff(before: dict, after: dict) -> dict:
    """What differs between two documents of one plan, by section:
    `details`, `status`, `goals`, `medications` (medication activities) and
    `activities` (all others), and the names of the changed sections."""
    details = {name: {"from": before.get(name), "to": after.get(name)}
               for name in DETAIL_FIELDS if before.get(name) != after.get(name)}
    status = None if before["status"] == after["status"] else {"from": before["status"], "to": after["status"]}

    def split(document, medications):
        return [a for a in document["activities"] if (a["kind"] == "medication") == medications]

    result = {
        "details": details,
        "status": status,
        "goals": _items_diff(before["goals"], after["goals"]),
        "medications": _items_diff(split(before, True), split(after, True)),
        "activities": _items_diff(split(before, False), split(after, False)),
    }
    sections = []
    for section in ("goals", "activities", "medications"):
        if not _is_empty(result[section]):
            sections.append(section)
    if status:
        sections.append("status")
    if details:
        sections.append("details")
    result["changed_sections"] = sections
    return result


def section_changes(change: dict) -> list[dict]:
    """How many items each changed section added, changed and removed (the
    details and the status count as one changed item)."""
    counted = []
    for section in change["changed_sections"]:
        if section in ("goals", "activities", "medications"):
            items = change[section]
            counted.append({"section": section, "added": len(items["added"]), "changed": len(items["changed"]),
                            "removed": len(items["removed"])})
        else:
            counted.append({"section": section, "added": 0, "changed": 1, "removed": 0})
    return counted


def _goal_content_changed(goals_diff: dict) -> bool:
    return bool(goals_diff["added"]) or any(
        set(change["changes"]) - {"achievement_status"} for change in goals_diff["changed"])


def is_patient_facing(change: dict, before: dict, after: dict) -> bool:
    """Whether a staff member's change alters what the patient does or must
    know (medications, visits, diet, therapy, education, goals, whom to
    call), so that the patient and consenting family are told. Drafts are
    not the patient's plan yet; a draft that is dropped never was."""
    if after["status"] == "draft" or (before["status"] == "draft" and after["status"] != "active"):
        return False
    if change["status"] or change["medications"]["added"] or change["medications"]["changed"]:
        return True
    if _goal_content_changed(change["goals"]):
        return True
    kind_of = {a["id"]: a["kind"] for a in after["activities"]}
    touched = {a["kind"] for a in change["activities"]["added"]}
    touched |= {kind_of[c["id"]] for c in change["activities"]["changed"]}
    if touched & PATIENT_FACING_KINDS:
        return True
    return bool(PATIENT_FACING_DETAILS & change["details"].keys())


def schedulable(activity: dict) -> bool:
    """Follow-up visits, and therapy that has an appointment type to book."""
    return activity["kind"] in SCHEDULED_KINDS and bool(detail_of(activity).get("appointment_type_code"))


def activities_to_schedule(before: dict | None, after: dict) -> list[dict]:
    """The follow-up and therapy activities scheduling must (re)consider: the
    new or changed ones, or all open ones when the plan has just become
    active. Nothing while the plan is a draft."""
    if after["status"] == "draft":
        return []
    old = {a["id"]: a for a in (before or {"activities": []})["activities"]}
    just_activated = before is not None and before["status"] == "draft"
    chosen = []
    for activity in after["activities"]:
        if not schedulable(activity):
            continue
        if just_activated:
            if activity["status"] in OPEN_ACTIVITY_STATUSES:
                chosen.append(activity)
        elif old.get(activity["id"]) != activity:
            chosen.append(activity)
    return chosen


def monitoring_limits(document: dict) -> list[dict]:
    """The limits per measure that the plan's open monitoring activities set
    on the patient's remote monitoring (numbers in the measure's canonical
    unit, no text); none unless the plan is active. Two activities naming one
    measure: the later one in the plan wins."""
    if document["status"] != "active":
        return []
    by_measure = {}
    for activity in document["activities"]:
        if activity["kind"] != "monitoring" or activity["status"] not in OPEN_ACTIVITY_STATUSES:
            continue
        for limits in detail_of(activity).get("limits") or []:
            by_measure[limits["measure"]] = {
                "activity_id": activity["id"], "measure": limits["measure"],
                **{name: limits.get(name) for name in ("low", "high", "critical_low", "critical_high")}}
    return list(by_measure.values())
