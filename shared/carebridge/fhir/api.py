"""A service's `/fhir/R4` blueprint, made from its resource declarations:

    FHIR = fhir_blueprint(SERVICE_NAME, [
        FhirResource("CarePlan", audit_type="care-plan", sources=(FhirSource(
            CarePlan, plan_resource, updated=CarePlan.updated_at, patient=CarePlan.patient_id,
            params=(SearchParam("status", "token", "...", CarePlan.status),
                    SearchParam("date", "date", "...", CarePlan.period_start))),),
            vread=plan_version_resource),
    ])

gives, per resource type, `GET /fhir/R4/<Type>/<id>` (read), `GET
/fhir/R4/<Type>?patient=..` (search: a searchset Bundle, `_count` per page,
`page`, paging links; `_lastUpdated` and the declared parameters) and, with
`vread`, `GET /fhir/R4/<Type>/<id>/_history/<vid>`; and `GET
/fhir/R4/metadata`. Access is the service's own: `roles` for the role check,
then for patient data `patient_access` on a read (one `read` record) and
`audited_search` on a search, which needs `patient` (one `search` record);
both are `@patient_scoped`. A caller without one of the roles is refused
(403) and, for patient data, the refusal audited against the patient, as
the services' own APIs do.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import marshmallow as ma
from flask import Response, request
from flask.views import MethodView
from marshmallow import fields, validate
from sqlalchemy import false, func, or_, select

from ..auth.roles import CLINICAL_READERS, ROLES
from ..db import among_patients
from ..errors import NotFoundError
from ..web.api import Blueprint, operation_noun
from ..web.current import current_runtime
from ..web.guards import (audited_search, current_principal, deny, ensure_roles, patient_access, patient_scoped,
                          require_roles, service_allowed)
from ..web.pagination import MAX_PAGE_SIZE
from ..web.session import request_session
from .bundle import searchset_bundle
from .capability import capability_statement
from .elements import FHIR_BASE, FHIR_JSON
from .search import DATE_PATTERN, date_condition, reference_uuid, tokens


@dataclass(frozen=True)
class SearchParam:
    """A search parameter on one column: `date` (prefixed dates), `token`
    (codes, comma for or; `codes` maps a FHIR code to the stored values),
    `reference` (`target`/<id>)."""
    name: str
    type: str
    description: str
    column: Any = None
    codes: Callable[[str], list] | None = None
    target: str | None = None
    # A condition of its own per code (when the code is no stored value).
    where: Callable[[str], Any] | None = None
    required: bool = False

    def condition(self, value):
        if self.type == "date":
            return date_condition(self.column, value, name=self.name)
        if self.type == "reference":
            return self.column == reference_uuid(value, self.target, name=self.name)
        if self.where is not None:
            return or_(*(self.where(code) for code in tokens(value)))
        wanted = [stored for code in tokens(value) for stored in (self.codes(code) if self.codes else [code])]
        return self.column.in_(wanted)


@dataclass(frozen=True)
class FhirSource:
    """One table a resource type comes from (billing's Claim comes from
    claims and from prior authorizations)."""
    model: type
    to_fhir: Callable[[Any], dict]
    updated: Any
    patient: Any = None
    params: tuple[SearchParam, ...] = ()
    base: Callable[[], Any] | None = None

    def statement(self):
        return self.base() if self.base else select(self.model)

    def load(self, session, resource_id):
        found = session.get(self.model, resource_id)
        if found is None or self.base is None:
            return found
        return session.scalar(self.base().where(self.model.id == resource_id))


@dataclass(frozen=True)
class FhirResource:
    type: str
    audit_type: str
    sources: tuple[FhirSource, ...]
    roles: tuple[str, ...] = CLINICAL_READERS
    also_allowed_roles: tuple[str, ...] = ()
    patient_data: bool = True
    # Patient itself is searched by `_id` (its own id), not `patient`.
    patient_param: str = "patient"
    vread: Callable[[Any, Any, int], dict] | None = None
    profile: str | None = None
    # A type that is computed, not stored (scheduling's free Slots): its own
    # search, `search(values by parameter name, page, size) -> (resources,
    # total)`, over `params`, and no read by id.
    search: Callable[[dict, int, int], tuple[list[dict], int]] | None = None
    params: tuple[SearchParam, ...] = ()
    readable: bool = True
    patient_of: Callable[[Any], Any] = field(default=lambda record: record.patient_id)

    def all_search_params(self) -> list[SearchParam]:
        found = {}
        if self.patient_data:
            found[self.patient_param] = SearchParam(
                self.patient_param, "reference" if self.patient_param == "patient" else "token",
                "The patient (Patient/<id>); required", target="Patient")
        found["_lastUpdated"] = SearchParam("_lastUpdated", "date", "When the record last changed")
        for param in self.params:
            found.setdefault(param.name, param)
        for source in self.sources:
            for param in source.params:
                found.setdefault(param.name, param)
        return list(found.values())


class FhirResourceSchema(ma.Schema):
    """A FHIR R4 resource (application/fhir+json); its elements are the
    resource type's, as the FHIR specification defines them."""

    class Meta:
        unknown = ma.INCLUDE

    resourceType = fields.String(required=True)
    id = fields.String()
    meta = fields.Dict(metadata={"description": "versionId and lastUpdated"})


class BundleLinkSchema(ma.Schema):
    relation = fields.String(required=True, metadata={"description": "self, first, previous, next or last"})
    url = fields.String(required=True)


class BundleSchema(ma.Schema):
    """A FHIR searchset Bundle: one page of matches and the links to the others."""
    resourceType = fields.String(required=True, metadata={"enum": ["Bundle"]})
    id = fields.String()
    meta = fields.Dict()
    type = fields.String(required=True, metadata={"enum": ["searchset"]})
    total = fields.Integer(required=True)
    link = fields.List(fields.Nested(BundleLinkSchema), required=True)
    entry = fields.List(fields.Dict(), metadata={"description": "fullUrl, resource, search.mode"})


def _search_args(resource: FhirResource) -> type[ma.Schema]:
    declared = {
        "count": fields.Integer(data_key="_count", load_default=25,
                                validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
                                metadata={"description": "Matches per page"}),
        "page": fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000)),
    }
    for index, param in enumerate(resource.all_search_params()):
        description = {"description": param.description}
        if param.type == "date":
            field_ = fields.List(fields.String(validate=validate.Regexp(DATE_PATTERN)), data_key=param.name,
                                 metadata=description)
        else:
            required = param.required or (resource.patient_data and param.name == resource.patient_param)
            field_ = fields.String(data_key=param.name, required=required,
                                   validate=validate.Length(min=1, max=200), metadata=description)
        declared[f"p{index}"] = field_
    return type(f"Fhir{resource.type}SearchArgs", (ma.Schema,), declared)


def fhir_response(body: dict, status: int = 200) -> Response:
    response = Response(json.dumps(body), status=status, mimetype=FHIR_JSON)
    version = (body.get("meta") or {}).get("versionId")
    if version is not None and body.get("resourceType") != "Bundle":
        response.headers["ETag"] = f'W/"{version}"'
    return response


def base_url() -> str:
    return request.url_root.rstrip("/") + FHIR_BASE


def _load(resource: FhirResource, resource_id):
    session = request_session()
    for source in resource.sources:
        record = source.load(session, resource_id)
        if record is not None:
            return source, record
    raise NotFoundError(f"{resource.type}/{resource_id} not found")


def _allow(resource: FhirResource, patient_id, *, action: str, resource_id=None) -> None:
    """The service's own rule: one of the resource's roles (a refusal audited
    against the patient, as the services' own APIs do), then, for patient
    data, the care-team rule (`patient_access`: one audit record)."""
    if not resource.patient_data:
        ensure_roles(*resource.roles)
        return
    if not (current_principal().has_any(*resource.roles) or service_allowed()):
        deny(action=action, resource_type=resource.audit_type, resource_id=resource_id, patient_id=patient_id)


def _check_read(resource: FhirResource, record, resource_id) -> None:
    patient_id = resource.patient_of(record) if resource.patient_data else None
    _allow(resource, patient_id, action="read", resource_id=resource_id)
    if resource.patient_data:
        patient_access(patient_id, action="read", resource_type=resource.audit_type,
                       resource_id=resource_id, also_allowed_roles=resource.also_allowed_roles)


def _search(resource: FhirResource, args: dict) -> dict:
    session = request_session()
    params = resource.all_search_params()
    values = {param.name: args.get(f"p{index}") for index, param in enumerate(params)}
    patient_id = None
    visible = None
    if resource.patient_data:
        patient_id = reference_uuid(values[resource.patient_param], "Patient", name=resource.patient_param)
        _allow(resource, patient_id, action="search")
        visible = audited_search(resource.audit_type, patient_id, also_allowed_roles=resource.also_allowed_roles)
    else:
        _allow(resource, None, action="search")
    page, size = args["page"], args["count"]
    base = base_url()
    if resource.search is not None:
        resources, counted = resource.search(values, page, size)
        return searchset_bundle(resources, total=counted, page=page, size=size, base_url=f"{base}/{resource.type}",
                                query=list(request.args.items(multi=True)),
                                full_url=lambda found_resource: f"{base}/{resource.type}/{found_resource['id']}")
    # One table: the page straight from SQL. Several: the first page*size of
    # each, merged by time, then the page (what the page needs of each).
    single = len(resource.sources) == 1
    counted, found = 0, []
    for source in resource.sources:
        statement = source.statement()
        if resource.patient_data:
            statement = among_patients(statement, source.patient, visible).where(source.patient == patient_id)
        by_name = {param.name: param for param in source.params}
        for name, value in values.items():
            if value in (None, []) or name == resource.patient_param:
                continue
            param = (SearchParam("_lastUpdated", "date", "", source.updated) if name == "_lastUpdated"
                     else by_name.get(name))
            if param is None:
                # A parameter of another source of this type: nothing here matches it.
                statement = statement.where(false())
                continue
            for one in (value if isinstance(value, list) else [value]):
                statement = statement.where(param.condition(one))
        counted += session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
        ordered = statement.order_by(source.updated.desc(), source.model.id)
        ordered = ordered.limit(size).offset((page - 1) * size) if single else ordered.limit(page * size)
        found += [(getattr(record, source.updated.key, None), str(record.id), source, record)
                  for record in session.scalars(ordered)]
    if not single:
        found.sort(key=lambda item: (item[0], _reverse(item[1])), reverse=True)
    shown = found if single else found[(page - 1) * size: page * size]
    resources = [source.to_fhir(record) for _, _, source, record in shown]
    return searchset_bundle(resources, total=counted, page=page, size=size, base_url=f"{base}/{resource.type}",
                            query=list(request.args.items(multi=True)),
                            full_url=lambda found_resource: f"{base}/{found_resource['resourceType']}/"
                                                            f"{found_resource['id']}")


def _reverse(text: str) -> str:
    # Ties on the time go by id ascending while the sort itself is descending.
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _read_view(resource: FhirResource, blp: Blueprint):
    def get(self, resource_id):
        source, record = _load(resource, resource_id)
        _check_read(resource, record, resource_id)
        return fhir_response(source.to_fhir(record))
    get.__doc__ = (f"Read a {resource.type} (FHIR R4)\n\n"
                   f"The {resource.type} as `application/fhir+json`; errors as an OperationOutcome.")
    view = blp.response(200, FhirResourceSchema, content_type=FHIR_JSON)(get)
    view = blp.doc(operationId=f"readFhir{resource.type}")(view)
    if resource.patient_data:
        view = patient_scoped(view)
    return type(f"Fhir{resource.type}Read", (MethodView,), {"get": view})


def _vread_view(resource: FhirResource, blp: Blueprint):
    def get(self, resource_id, version_id):
        source, record = _load(resource, resource_id)
        _check_read(resource, record, resource_id)
        return fhir_response(resource.vread(request_session(), record, version_id))
    get.__doc__ = (f"Read one version of a {resource.type} (FHIR R4 vread)\n\n"
                   f"The {resource.type} as it stood at that version.")
    view = blp.response(200, FhirResourceSchema, content_type=FHIR_JSON)(get)
    view = blp.doc(operationId=f"vreadFhir{resource.type}")(view)
    if resource.patient_data:
        view = patient_scoped(view)
    return type(f"Fhir{resource.type}Vread", (MethodView,), {"get": view})


def _search_view(resource: FhirResource, blp: Blueprint):
    def get(self, args):
        return fhir_response(_search(resource, args))
    names = ", ".join(f"`{p.name}`" for p in resource.all_search_params())
    get.__doc__ = (f"Search {resource.type} resources (FHIR R4)\n\n"
                   f"A searchset Bundle, `_count` per page (`page`, and the Bundle's links). Parameters: {names}."
                   + (f" `{resource.patient_param}` is required." if resource.patient_data else ""))
    view = blp.response(200, BundleSchema, content_type=FHIR_JSON)(get)
    view = blp.arguments(_search_args(resource), location="query")(view)
    view = blp.doc(operationId=f"searchFhir{resource.type}")(view)
    if resource.patient_data:
        view = patient_scoped(view)
    return type(f"Fhir{resource.type}Search", (MethodView,), {"get": view})


def fhir_blueprint(service_name: str, resources: list[FhirResource]) -> Blueprint:
    """The service's `/fhir/R4` blueprint (register it like any other)."""
    blp = Blueprint(f"{service_name}-fhir", __name__, url_prefix=FHIR_BASE,
                    description=f"FHIR R4 ({FHIR_JSON}): {', '.join(r.type for r in resources)}.")
    for resource in resources:
        blp.route(f"/{resource.type}")(_search_view(resource, blp))
        if resource.readable:
            blp.route(f"/{resource.type}/<uuid:resource_id>")(_read_view(resource, blp))
        if resource.vread:
            blp.route(f"/{resource.type}/<uuid:resource_id>/_history/<int:version_id>")(
                _vread_view(resource, blp))

    def get(self):
        service = current_runtime().service
        return fhir_response(capability_statement(service=service_name, title=service.title, version=service.version,
                                                  base_url=base_url(), resources=resources))
    get.__doc__ = ("Describe this service's FHIR R4 interface\n\n"
                   "The CapabilityStatement: each resource type, its interactions and search parameters.")
    view = blp.response(200, FhirResourceSchema, content_type=FHIR_JSON)(get)
    view = blp.doc(operationId=f"read{operation_noun(service_name)}FhirCapabilities")(view)
    view = require_roles(*ROLES)(view)
    blp.route("/metadata")(type("FhirCapabilities", (MethodView,), {"get": view}))
    return blp


__all__ = ["FhirResource", "FhirSource", "SearchParam", "fhir_blueprint", "fhir_response"]
