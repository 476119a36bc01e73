"""The OpenAPI gate on before/after documents that flask-smorest renders from
marshmallow schemas, as the services' are: removing an operation or a
response field, or making a request field required, fails unless the change
lives under a new version of the path; additions pass."""
import itertools

import marshmallow as ma
import pytest
from flask import Flask
from flask_smorest import Api, Blueprint

from carebridge.compat import compare_documents, compare_openapi

_names = itertools.count()


def schema(**declared) -> type[ma.Schema]:
    return type(f"S{next(_names)}", (ma.Schema,), dict(declared))


def appointment(**changes):
    declared = {"id": ma.fields.UUID(dump_only=True), "start": ma.fields.AwareDateTime(required=True),
                "status": ma.fields.String(required=True, validate=ma.validate.OneOf(("booked", "pending"))),
                "location_id": ma.fields.UUID(load_default=None)}
    declared.update(changes)
    return schema(**{name: field for name, field in declared.items() if field is not None})


def document(*operations) -> dict:
    """operations: (method, path, request schema or None, response schema, query schema or None)."""
    app = Flask(f"app{next(_names)}")
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = Api(app)
    blp = Blueprint("b", __name__)
    for number, (method, path, body, response, query) in enumerate(operations):
        def view(*args, **kwargs):
            return {}
        view = blp.response(201 if method == "post" else 200, response)(view)
        if body is not None:
            view = blp.arguments(body)(view)
        if query is not None:
            view = blp.arguments(query, location="query")(view)
        blp.route(path, methods=[method.upper()], endpoint=f"e{number}")(view)
    api.register_blueprint(blp)
    return api.spec.to_dict()


BASE = appointment()
BEFORE = document(("post", "/appointments", BASE, BASE, None),
                  ("get", "/appointments/<uuid:appointment_id>", None, BASE, None),
                  ("get", "/appointments", None, BASE, schema(patient_id=ma.fields.UUID())))


def after(post_body=BASE, response=BASE, query=None, extra=(), without=()):
    operations = [("post", "/appointments", post_body, response, None),
                  ("get", "/appointments/<uuid:appointment_id>", None, response, None),
                  ("get", "/appointments", None, response, query or schema(patient_id=ma.fields.UUID()))]
    return document(*[op for op in operations if (op[0], op[1]) not in without], *extra)


def test_the_same_api_is_compatible():
    assert compare_documents(BEFORE, after()) == []


def test_additions_pass():
    bigger = appointment(telehealth=ma.fields.Boolean(load_default=False))
    new_operation = ("post", "/appointments/<uuid:appointment_id>/check-in", None, BASE, None)
    assert compare_documents(BEFORE, after(post_body=bigger, response=bigger, extra=[new_operation])) == []


def test_a_renamed_path_parameter_is_the_same_operation():
    renamed = document(("post", "/appointments", BASE, BASE, None),
                       ("get", "/appointments/<uuid:id>", None, BASE, None),
                       ("get", "/appointments", None, BASE, schema(patient_id=ma.fields.UUID())))
    assert compare_documents(BEFORE, renamed) == []


@pytest.mark.parametrize("new, expected", [
    (after(without=[("get", "/appointments/<uuid:appointment_id>")]),
     "GET /appointments/{appointment_id} was removed"),
    (after(response=appointment(status=None)),
     "GET /appointments/{appointment_id}: response field `status` was removed"),
    (after(response=appointment(start=ma.fields.Date(required=True))),
     "GET /appointments/{appointment_id}: response field `start` changed type from string/date-time to string/date"),
    (after(post_body=appointment(location_id=ma.fields.UUID(required=True))),
     "POST /appointments: request field `location_id` was made required"),
    (after(post_body=appointment(reason=ma.fields.String(required=True))),
     "POST /appointments: new request field `reason` is required"),
    (after(post_body=appointment(location_id=None)),
     "POST /appointments: request field `location_id` was removed"),
    (after(post_body=appointment(status=ma.fields.String(required=True, validate=ma.validate.OneOf(("booked",))))),
     "POST /appointments: request field `status` no longer accepts pending"),
    (after(query=schema(patient_id=ma.fields.UUID(required=True))),
     "GET /appointments: query parameter `patient_id` was made required"),
], ids=["operation-removed", "response-field-removed", "response-type-changed", "made-required",
        "new-required-field", "closed-body-field-removed", "enum-narrowed", "query-made-required"])
def test_a_breaking_change_in_place_fails(new, expected):
    problems = compare_documents(BEFORE, new)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_breaking_change_under_a_new_versioned_path_passes():
    v2 = appointment(status=None, location_id=ma.fields.UUID(required=True))
    new = after(extra=[("post", "/v2/appointments", v2, v2, None),
                       ("get", "/v2/appointments/<uuid:appointment_id>", None, v2, None)])
    assert compare_documents(BEFORE, new) == []


def test_an_operation_replaced_by_a_newer_version_of_its_path_may_go():
    v2 = appointment(status=None)
    new = after(without=[("get", "/appointments/<uuid:appointment_id>")],
                extra=[("get", "/v2/appointments/<uuid:appointment_id>", None, v2, None)])
    assert compare_documents(BEFORE, new) == []
    # ... but not by an unrelated path or another method.
    elsewhere = after(without=[("get", "/appointments/<uuid:appointment_id>")],
                      extra=[("get", "/v2/visits/<uuid:appointment_id>", None, v2, None)])
    assert compare_documents(BEFORE, elsewhere) == [
        "GET /appointments/{appointment_id} was removed (keep it until a newer version of its path replaces it)"]


def test_services_are_compared_each_with_its_own_older_document():
    old = {"documents": {"scheduling": BEFORE, "billing": BEFORE}, "errors": {}}
    new = {"documents": {"scheduling": after(response=appointment(status=None)), "billing": BEFORE}, "errors": {}}
    problems = compare_openapi(old, new)
    assert problems and all(problem.startswith("scheduling: ") for problem in problems)
    gone = {"documents": {"scheduling": BEFORE}, "errors": {}}
    assert compare_openapi(old, gone) == ["the billing service's API was removed"]
