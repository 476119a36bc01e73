"""Who hears about a patient: /recipients?patient_id=..."""
from flask.views import MethodView

from carebridge.auth.roles import STAFF_ROLES
from carebridge.web import (Blueprint, page_from_list, paged, patient_access, patient_scoped, request_session,
                            require_roles)

from ..service_layer.recipients import who_hears_about
from .schemas.recipients import ReachSchema, RecipientArgs

blp = Blueprint("recipients", __name__, url_prefix="/recipients",
                description="The people notified about a patient and the channels that reach them")


@blp.route("")
class Recipients(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="listRecipients")
    @blp.arguments(RecipientArgs, location="query")
    @blp.response(200, paged(ReachSchema))
    def get(self, args):
        """List who hears about a patient

        The patient, their related persons and active care team, with the channels that reach each
        now."""
        patient_access(args["patient_id"], action="read", resource_type="recipients")
        return page_from_list(who_hears_about(request_session(), args["patient_id"]), args)
