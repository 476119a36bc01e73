"""The contracts of a CareBridge tree as plain JSON: every event schema of the
catalogue (field names, types, required, allow_none, constraints), what each
service consumes, and each service's OpenAPI document.

The compatibility gate compares two such descriptions, one of them of an
older git revision. To describe that revision, this file is run in a
separate Python process with the old tree's `shared/` and `services/*/` on
PYTHONPATH (`compat/revisions.py`): the old catalogue registers itself in
the old kit's registry and the old services build their own apps, while the
description is made by today's code. So this module stands alone: standard
library at the top, and inside the functions only what every revision of the
kit has had (`carebridge.events.registry`, `carebridge.web.create_app`, a
service's `subscriptions`) and marshmallow.

    python describe.py events|openapi [--tree ROOT] [--out FILE]

With --tree, the services are those whose pyproject.toml lies under
ROOT/services; without it, the installed ones. The JSON goes to FILE (or
stdout): a service printing at import cannot spoil it.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import tomllib
from pathlib import Path

GROUP = "carebridge.services"
# The Flask app is built only to render its document: no database or broker
# is reached.
APP_CONFIG = {"database_url": "sqlite://", "broker_url": "memory://"}


# -- services ----------------------------------------------------------------

def _entry_points_in(tree: Path) -> dict[str, str]:
    found = {}
    for pyproject in sorted((tree / "services").glob("*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        found.update(project.get("entry-points", {}).get(GROUP, {}))
    return found


def _installed_entry_points() -> dict[str, str]:
    from importlib.metadata import entry_points
    return {entry.name: entry.value for entry in entry_points(group=GROUP)}


def load_services(tree: Path | None) -> tuple[dict, dict[str, str]]:
    """(name -> ServiceDefinition, name -> why it could not be loaded)."""
    targets = _entry_points_in(tree) if tree is not None else _installed_entry_points()
    services, errors = {}, {}
    for name, target in sorted(targets.items()):
        module_name, _, attribute = target.partition(":")
        try:
            services[name] = getattr(importlib.import_module(module_name), attribute)
        except Exception as error:  # a broken service is reported, not fatal to the others
            errors[name] = f"{type(error).__name__}: {error}"
    return services, errors


# -- events ------------------------------------------------------------------

def _constraints(field) -> dict:
    from marshmallow import validate
    found = {}
    for validator in getattr(field, "validators", ()):
        if isinstance(validator, validate.OneOf):
            found["choices"] = sorted(map(str, validator.choices))
        elif isinstance(validator, validate.Length):
            found["length"] = [validator.min, validator.max, validator.equal]
        elif isinstance(validator, validate.Range):
            found["range"] = [str(validator.min), str(validator.max), validator.min_inclusive,
                              validator.max_inclusive]
        elif isinstance(validator, validate.Regexp):
            found["pattern"] = validator.regex.pattern
        else:
            found.setdefault("other", []).append(type(validator).__name__)
    return found


def describe_field(field, depth: int = 0) -> dict:
    from marshmallow import fields
    if depth > 10:
        raise ValueError("event schemas nest deeper than 10 levels")
    described = {"type": type(field).__name__, "required": bool(field.required),
                 "allow_none": bool(field.allow_none)}
    if isinstance(field, fields.Decimal):
        described["places"] = None if field.places is None else str(field.places)
        described["as_string"] = bool(field.as_string)
    if isinstance(field, fields.Nested):
        described["many"] = bool(field.many)
        described["fields"] = describe_schema(field.schema, depth + 1)
    elif isinstance(field, fields.List):
        described["items"] = describe_field(field.inner, depth + 1)
    elif isinstance(field, fields.Tuple):
        described["items"] = [describe_field(inner, depth + 1) for inner in field.tuple_fields]
    elif isinstance(field, fields.Dict):
        for part in ("key_field", "value_field"):
            inner = getattr(field, part, None)
            if inner is not None:
                described[part] = describe_field(inner, depth + 1)
    described.update(_constraints(field))
    return described


def describe_schema(schema, depth: int = 0) -> dict:
    """Field name (as sent: `data_key` when set) -> description."""
    return {(field.data_key or name): describe_field(field, depth)
            for name, field in sorted(schema.fields.items())
            if not field.dump_only}


def describe_events(tree: Path | None = None) -> dict:
    """{"events": {type: {version: fields}}, "consumers": {service: [[type,
    version], ...]}, "errors": {service: why}}"""
    from carebridge.events import registry
    # Services first: a schema a service module registers is described too.
    services, errors = load_services(tree)
    events: dict[str, dict[str, dict]] = {}
    for event_type, version in registry.types():
        events.setdefault(event_type, {})[str(version)] = describe_schema(registry.schema(event_type, version)())
    consumers = {name: [list(key) for key in sorted(service.subscriptions.subscribed())]
                 for name, service in services.items() if service.subscriptions is not None}
    return {"events": events, "consumers": consumers, "errors": errors}


# -- OpenAPI -----------------------------------------------------------------

def describe_openapi(tree: Path | None = None) -> dict:
    """{"documents": {service: OpenAPI document}, "errors": {service: why}}"""
    try:
        from carebridge.web import create_app
    except ImportError:  # revisions before the consolidation (issue 16)
        from carebridge.web.app import create_app
    services, errors = load_services(tree)
    documents = {}
    for name, service in services.items():
        try:
            response = create_app(service, dict(APP_CONFIG)).test_client().get("/openapi.json")
            documents[name] = response.get_json()
        except Exception as error:
            errors[name] = f"{type(error).__name__}: {error}"
    return {"documents": documents, "errors": errors}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["events", "openapi"])
    parser.add_argument("--tree", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    describe = describe_events if args.what == "events" else describe_openapi
    text = json.dumps(describe(args.tree), sort_keys=True)
    if args.out is None:
        print(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
