"""/practitioners: the staff directory that staff apps look people up in."""
from __future__ import annotations

import uuid

from flask.views import MethodView

from carebridge.errors import NotFoundError
from carebridge.web import (Blueprint, allow_services, current_principal, documented_if_match, idempotent, page_of,
                            paged, request_session, require_if_match, require_roles)

from ..service_layer import practitioners
from .access_rules import MANAGES_DIRECTORY, READS_DIRECTORY
from .examples import CHANGED_PRACTITIONER, NEW_PRACTITIONER, PRACTITIONER, PRACTITIONER_CHANGES
from .responses import answer
from .schemas.fields import STRICT_QUERY
from .schemas.practitioners import (NewPractitionerSchema, PractitionerChangesSchema, PractitionerSchema,
                                    PractitionerSearchArgs)

blp = Blueprint("practitioners", __name__, url_prefix="/practitioners",
                description="The staff directory. A practitioner's id is the subject of their tokens.")

_practitioner = PractitionerSchema()


@blp.route("")
class Practitioners(MethodView):
    @require_roles(*READS_DIRECTORY)
    @blp.doc(operationId="searchPractitioners")
    @blp.arguments(PractitionerSearchArgs, **STRICT_QUERY)
    @blp.response(200, paged(PractitionerSchema))
    def get(self, args):
        """Look up staff

        By part of the name (`q`), role, specialty and whether active."""
        criteria = practitioners.PractitionerSearch(name=args.get("q"), role=args.get("role"),
                                                    specialty=args.get("specialty"), active=args.get("active"))
        return page_of(request_session(), practitioners.search(criteria), args)

    @require_roles(*MANAGES_DIRECTORY)
    @idempotent
    @blp.doc(operationId="addPractitioner")
    @blp.arguments(NewPractitionerSchema, example=NEW_PRACTITIONER)
    @blp.response(201, PractitionerSchema, example=PRACTITIONER)
    def post(self, data):
        """Add someone to the directory

        Give `id` when the identity provider already has a subject for the
        person. Publishes `patients.practitioner-changed`."""
        practitioner = practitioners.register(request_session(), data)
        return answer(_practitioner, practitioner, created_at=f"/practitioners/{practitioner.id}")


@blp.route("/me")
class Me(MethodView):
    @require_roles(*READS_DIRECTORY)
    @blp.doc(operationId="getMyPractitioner")
    @blp.response(200, PractitionerSchema, example=PRACTITIONER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """Read your own directory entry

        The entry of your token's subject; 404 when the token names no practitioner."""
        practitioner_id = current_principal().practitioner_id
        if practitioner_id is None:
            raise NotFoundError("Your token does not name a practitioner.")
        practitioner = practitioners.get(request_session(), practitioner_id)
        return answer(_practitioner, practitioner)


@blp.route("/<uuid:practitioner_id>")
class PractitionerById(MethodView):
    @require_roles(*READS_DIRECTORY)
    @blp.doc(operationId="getPractitioner")
    @allow_services("notifications")
    @blp.response(200, PractitionerSchema, example=PRACTITIONER)
    def get(self, practitioner_id: uuid.UUID):
        """Read a directory entry"""
        practitioner = practitioners.get(request_session(), practitioner_id)
        return answer(_practitioner, practitioner)

    @require_roles(*MANAGES_DIRECTORY)
    @documented_if_match
    @blp.doc(operationId="updatePractitioner")
    @blp.arguments(PractitionerChangesSchema, example=PRACTITIONER_CHANGES)
    @blp.response(200, PractitionerSchema, example=CHANGED_PRACTITIONER)
    def patch(self, changes, practitioner_id: uuid.UUID):
        """Change a directory entry

        Setting `active` to false ends the person's care-team memberships
        now and removes them as lead coordinator, so their access ends too.
        Publishes `patients.practitioner-changed` (and `patients.care-team-changed`
        for each team that changed)."""
        session = request_session()
        practitioner = practitioners.get(session, practitioner_id)
        require_if_match(practitioner.version)
        practitioners.update(session, practitioner, changes)
        return answer(_practitioner, practitioner)
