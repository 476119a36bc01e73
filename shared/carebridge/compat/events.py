"""Is the event catalogue still compatible with an older one?

Services are deployed one at a time, and a consumer validates what it
receives against its own copy of the catalogue (leniently: unknown fields are
dropped). So, for an event type and version that exists in both:

- events of the new producer must pass the older consumers' schema: no field
  removed, none whose type, format, allowed values or nullability changed,
  none that stopped being required;
- events of the older producer (still running, still queued, or replayed from
  the dead letters) must pass the new consumers' schema: no field made
  required, no new required field.

A new optional field and a new version are compatible. Removing a version is
compatible only when no service, old or new, subscribes to it."""
from __future__ import annotations


def _kind(field: dict) -> str:
    kind = field["type"]
    if "places" in field:
        kind += f"(places={field['places']}, as_string={field['as_string']})"
    if field.get("many"):
        kind += "(many)"
    return kind


_CONSTRAINTS = ("choices", "length", "range", "pattern", "other")


def _compare_field(path: str, old: dict, new: dict) -> list[str]:
    if _kind(old) != _kind(new):
        return [f"field `{path}` changed type from {_kind(old)} to {_kind(new)}"]
    problems = []
    if new["required"] and not old["required"]:
        problems.append(f"field `{path}` was made required (events of the older producer may lack it)")
    if old["required"] and not new["required"]:
        problems.append(f"field `{path}` is no longer required (consumers of this version rely on it)")
    if old["allow_none"] != new["allow_none"]:
        problems.append(f"field `{path}` {'now accepts' if new['allow_none'] else 'no longer accepts'} null")
    for constraint in _CONSTRAINTS:
        if old.get(constraint) != new.get(constraint):
            problems.append(f"field `{path}` changed its {constraint}: {old.get(constraint)} -> {new.get(constraint)}")
    if "fields" in old:
        problems += compare_fields(old["fields"], new["fields"], prefix=f"{path}.")
    for part in ("items", "key_field", "value_field"):
        if isinstance(old.get(part), dict):
            problems += _compare_field(f"{path}[]" if part == "items" else f"{path}<{part}>", old[part], new[part])
        elif isinstance(old.get(part), list):  # a Tuple's positions
            for position, (before, after) in enumerate(zip(old[part], new[part])):
                problems += _compare_field(f"{path}[{position}]", before, after)
    return problems


def compare_fields(old: dict, new: dict, prefix: str = "") -> list[str]:
    problems = []
    for name, field in old.items():
        if name not in new:
            problems.append(f"field `{prefix}{name}` was removed")
        else:
            problems += _compare_field(prefix + name, field, new[name])
    for name, field in new.items():
        if name not in old and field["required"]:
            problems.append(f"new field `{prefix}{name}` is required (events of the older producer lack it)")
    return problems


def _consumers(*descriptions: dict) -> dict[tuple[str, int], set[str]]:
    found: dict[tuple[str, int], set[str]] = {}
    for description in descriptions:
        for service, subscribed in description["consumers"].items():
            for event_type, version in subscribed:
                found.setdefault((event_type, int(version)), set()).add(service)
    return found


def compare_events(old: dict, new: dict) -> list[str]:
    """What makes `new` (a description from `describe.describe_events`)
    incompatible with `old`; empty when it is compatible."""
    problems = [f"the {service} service cannot be loaded: {why}" for service, why in sorted(new["errors"].items())]
    problems += [f"the {service} service of the older revision cannot be loaded, so what it consumes is unknown: "
                 f"{why}" for service, why in sorted(old["errors"].items())]
    consumed = _consumers(old, new)
    for event_type, versions in sorted(old["events"].items()):
        for version, fields in sorted(versions.items(), key=lambda item: int(item[0])):
            label = f"{event_type} v{version}"
            now = new["events"].get(event_type, {}).get(version)
            if now is None:
                users = consumed.get((event_type, int(version)))
                if users:
                    problems.append(f"{label} was removed, but {', '.join(sorted(users))} still "
                                    f"consume{'s' if len(users) == 1 else ''} it")
                continue
            problems += [f"{label}: {problem} (publish a new version instead)"
                         for problem in compare_fields(fields, now)]
    return problems
