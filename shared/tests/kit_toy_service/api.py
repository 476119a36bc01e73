import uuid

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import select

from carebridge import audit, outbox
from carebridge.errors import NotFoundError
from carebridge.db import among_patients
from carebridge.web import (Blueprint, PageArgs, audited_search, documented_if_match, idempotent, page_of, paged,
                            patient_access, patient_scoped, request_session, require_if_match, require_roles,
                            with_etag)

from .models import Toy

blp = Blueprint("toys", __name__, url_prefix="/toys", description="Toys")


class ToySchema(ma.Schema):
    id = ma.fields.UUID(dump_only=True)
    patient_id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80))
    version = ma.fields.Integer(dump_only=True)


class ToyUpdateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80))


@blp.route("")
class Toys(MethodView):
    @require_roles("coordinator", "admin", "nurse")
    @blp.doc(operationId="listToys")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, paged(ToySchema))
    def get(self, args):
        visible = audited_search("toy")
        return page_of(request_session(), among_patients(select(Toy), Toy.patient_id, visible).order_by(Toy.name),
                       args)

    @require_roles("coordinator")
    @idempotent
    @blp.doc(operationId="createToy")
    @blp.arguments(ToySchema)
    @blp.response(201, ToySchema)
    def post(self, data):
        session = request_session()
        toy = Toy(id=uuid.uuid4(), **data)
        session.add(toy)
        session.flush()
        audit.record(session, action="create", resource_type="toy", resource_id=toy.id, patient_id=toy.patient_id)
        outbox.record(session, "toys.toy-created", {"toy_id": toy.id, "patient_id": toy.patient_id})
        return toy


def _load(session, toy_id) -> Toy:
    toy = session.get(Toy, toy_id)
    if toy is None:
        raise NotFoundError("No such toy.")
    return toy


@blp.route("/<uuid:toy_id>")
class ToyById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getToy")
    @blp.response(200, ToySchema)
    def get(self, toy_id):
        session = request_session()
        toy = _load(session, toy_id)
        patient_access(toy.patient_id, action="read", resource_type="toy", resource_id=toy.id)
        return with_etag(ToySchema().dump(toy), toy.version)

    @documented_if_match
    @blp.doc(operationId="renameToy")
    @blp.arguments(ToyUpdateSchema)
    @blp.response(200, ToySchema)
    def put(self, data, toy_id):
        session = request_session()
        toy = _load(session, toy_id)
        patient_access(toy.patient_id, action="update", resource_type="toy", resource_id=toy.id)
        require_if_match(toy.version)
        toy.name = data["name"]
        session.flush()
        return with_etag(ToySchema().dump(toy), toy.version)


@blp.route("/boom")
class Boom(MethodView):
    @blp.doc(operationId="breakToy")
    @blp.response(200)
    def get(self):
        raise RuntimeError("secret internal detail: Jane Doe 1970-01-01")


def register_api(api):
    api.register_blueprint(blp)
