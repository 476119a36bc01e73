"""Every installed service's OpenAPI document is one a client generator can
use: each operation has a stable, unique operationId and a one-line summary;
each request body has an example the operation's own schema accepts, and its
success response an example its documented schema accepts; no property is
left without a type."""
from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from zoneinfo import available_timezones

import jsonschema
import marshmallow as ma
import pytest
from flask_smorest.spec.plugins import FlaskPlugin

from carebridge.runtime.discovery import installed_services
from carebridge.testing import plugin
from carebridge.web import TIME_ZONE, Blueprint, create_app

SERVICES = installed_services()
METHODS = ("get", "post", "put", "patch", "delete")
OPERATION_ID = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)+$")
SUMMARY_LENGTH = 90


class Built(dict):
    """Each service's app or document, built when a test first asks for it."""

    def __init__(self, build):
        super().__init__()
        self.build = build

    def __missing__(self, name):
        self[name] = self.build(name)
        return self[name]


def build_app(name):
    settings = plugin.test_settings(name, database_url="sqlite://")
    return create_app(SERVICES[name], {"settings": settings, "TESTING": True})


@pytest.fixture(scope="module")
def apps():
    return Built(build_app)


@pytest.fixture(scope="module")
def documents(apps):
    return Built(lambda name: apps[name].test_client().get("/openapi.json").get_json())


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def as_json_schema(schema, absent: str):
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable` becomes a
    null alternative; properties marked `absent` ("writeOnly" in answers,
    "readOnly" in requests) are not there; annotations JSON Schema does not
    know are dropped."""
    if not isinstance(schema, dict):
        return schema
    converted = {}
    gone = {name for name, member in schema.get("properties", {}).items() if member.get(absent)}
    for key, value in schema.items():
        if key == "properties":
            converted[key] = {name: as_json_schema(member, absent) for name, member in value.items()
                              if name not in gone}
        elif key == "required":
            converted[key] = [name for name in value if name not in gone]
        elif key in ("items", "additionalProperties", "not"):
            converted[key] = as_json_schema(value, absent)
        elif key in ("allOf", "anyOf", "oneOf"):
            converted[key] = [as_json_schema(member, absent) for member in value]
        elif key in ("nullable", "example", "examples", "readOnly", "writeOnly") or key.startswith("x-"):
            continue
        else:
            converted[key] = value
    if schema.get("nullable"):
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def example_errors(document, media, absent: str) -> list[str]:
    """What is wrong with `media`'s example against `media`'s schema."""
    components = {name: as_json_schema(schema, absent) for name, schema in document["components"]["schemas"].items()}
    schema = {"allOf": [as_json_schema(media["schema"], absent)], "components": {"schemas": components}}
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(media["example"])]


def body_schemas(app) -> dict[tuple[str, str], object]:
    """(method, OpenAPI path) -> the marshmallow schema that loads the
    operation's JSON body, as the view itself uses it."""
    found = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        path = FlaskPlugin.flaskpath2openapi(rule.rule)
        for method in rule.methods or ():
            function = getattr(getattr(view, "view_class", None), method.lower(), view)
            arguments = getattr(function, "_apidoc", {}).get("arguments", {}).get("parameters", [])
            for argument in arguments:
                if argument["in"] == "json":
                    schema = argument["schema"]
                    found[(method.lower(), path)] = schema() if isinstance(schema, type) else schema
    return found


def success_response(operation) -> tuple[str, dict]:
    code = min(code for code in operation["responses"] if code.startswith("2"))
    return code, operation["responses"][code]


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_has_an_operation_id_and_a_one_line_summary(documents, name):
    problems = []
    for method, path, operation in operations(documents[name]):
        operation_id = operation.get("operationId", "")
        summary = operation.get("summary", "")
        if not OPERATION_ID.match(operation_id):
            problems.append(f"{method.upper()} {path}: operationId {operation_id!r} is not camelCase verb + noun")
        if not summary.strip() or "\n" in summary or len(summary) > SUMMARY_LENGTH:
            problems.append(f"{method.upper()} {path}: summary {summary!r} is not one short line")
    assert not problems, "\n".join(problems)


def test_no_two_operations_share_an_operation_id_across_services(documents):
    seen = defaultdict(list)
    for name in SERVICES:
        for method, path, operation in operations(documents[name]):
            seen[operation.get("operationId")].append(f"{name} {method.upper()} {path}")
    shared = {operation_id: where for operation_id, where in seen.items() if len(where) > 1}
    assert not shared, shared


@pytest.mark.parametrize("name", SERVICES)
def test_every_request_body_has_an_example_its_schema_loads(apps, documents, name):
    app, schemas, problems = apps[name], body_schemas(apps[name]), []
    checked = 0
    for method, path, operation in operations(documents[name]):
        if "requestBody" not in operation:
            continue
        media = operation["requestBody"]["content"]["application/json"]
        if "example" not in media:
            problems.append(f"{method.upper()} {path}: no request example")
            continue
        try:
            with app.test_request_context():
                schemas[(method, path)].load(media["example"])
        except ma.ValidationError as error:
            problems.append(f"{method.upper()} {path}: the request example is refused: {error.messages}")
        problems += [f"{method.upper()} {path}: request example {error}" for error in example_errors(
            documents[name], media, "readOnly")]
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked or not any("requestBody" in op for _m, _p, op in operations(documents[name]))


@pytest.mark.parametrize("name", SERVICES)
def test_operations_with_a_body_have_a_success_example_and_every_example_fits(documents, name):
    problems = []
    for method, path, operation in operations(documents[name]):
        code, response = success_response(operation)
        media = response.get("content", {}).get("application/json")
        if media is None or "example" not in media:
            if "requestBody" in operation and code != "204":
                problems.append(f"{method.upper()} {path}: no example of its {code} response")
            continue
        problems += [f"{method.upper()} {path}: {code} example {error}" for error in example_errors(
            documents[name], media, "writeOnly")]
    assert not problems, "\n".join(problems)


def untyped_properties(schema, where: str):
    if not isinstance(schema, dict):
        return
    for name, member in schema.get("properties", {}).items():
        if not any(key in member for key in ("type", "$ref", "allOf", "anyOf", "oneOf")):
            yield f"{where}.{name}"
        yield from untyped_properties(member, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from untyped_properties(schema[key], f"{where}[]")


@pytest.mark.parametrize("name", SERVICES)
def test_every_property_and_parameter_has_a_type(documents, name):
    document = documents[name]
    untyped = [where for schema_name, schema in document["components"]["schemas"].items()
               for where in untyped_properties(schema, schema_name)]
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if "$ref" not in parameter and not any(key in schema for key in ("type", "$ref", "allOf")):
                untyped.append(f"{method.upper()} {path} parameter {parameter['name']}")
    assert not untyped, untyped


def test_every_iana_time_zone_fits_the_documented_pattern():
    pattern = re.compile(TIME_ZONE["pattern"])
    assert [zone for zone in available_timezones()
            if not pattern.match(zone) or len(zone) > TIME_ZONE["maxLength"]] == []


def test_an_operation_without_an_operation_id_stops_the_app_from_being_built(service, runtime):
    orphans = Blueprint("orphans", __name__, url_prefix="/orphans")

    @orphans.route("")
    @orphans.response(200)
    def nameless():
        """Answer without a name"""
        return {}

    def register_api(api):
        service.register_api(api)
        api.register_blueprint(orphans)

    with pytest.raises(ValueError, match=r"GET /orphans has no operationId"):
        create_app(dataclasses.replace(service, register_api=register_api), {"runtime": runtime})
