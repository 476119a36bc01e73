"""Notification preferences per person: /preferences/{practitioners|patients|related-persons}/{id}

Each PUT replaces the whole document and needs If-Match with the ETag last
read ("0" while a person has no stored preferences yet).
"""
from flask.views import MethodView

from carebridge.auth.roles import STAFF_ROLES
from carebridge.errors import ForbiddenError
from carebridge.web import (Blueprint, current_principal, documented_if_match, patient_access, patient_scoped,
                            request_session, require_if_match, require_roles, with_etag)

from ..domain.vocabulary import PATIENT, PRACTITIONER, RELATED_PERSON
from ..service_layer import preferences
from .examples import (NEW_PERSON_PREFERENCES, NEW_STAFF_PREFERENCES, PATIENT_PREFERENCES, RELATED_PERSON_PREFERENCES,
                       STAFF_PREFERENCES)
from .schemas.preferences import PreferencesSchema, StaffPreferencesSchema

blp = Blueprint("preferences", __name__, url_prefix="/preferences",
                description="Channels per category, quiet hours, opt-out and (staff) SMS consent")

RESOURCE = "notification-preferences"


def _document(view: preferences.PreferencesView) -> dict:
    stored = view.stored
    quiet = {"start": stored.quiet_hours_start, "end": stored.quiet_hours_end} \
        if stored is not None and stored.quiet_hours_start else None
    return {"recipient_type": view.recipient_type, "recipient_id": view.recipient_id,
            "opted_out": bool(stored and stored.opted_out), "quiet_hours": quiet,
            "channels": stored.channels if stored else {}, "sms_consent": view.person.sms_consent,
            "sms_consent_recorded_at": stored.sms_consent_recorded_at if stored else None,
            "sms_consent_recorded_by": stored.sms_consent_recorded_by if stored else None,
            "message_detail": stored.message_detail if stored else None,
            "effective_channels": view.effective_channels(), "updated_at": stored.updated_at if stored else None,
            "version": view.version}


def _answer(view, schema):
    return with_etag(schema().dump(_document(view)), view.version)


def _change(view, data, schema):
    require_if_match(view.version)
    return _answer(preferences.replace(request_session(), view, data, by=current_principal().subject), schema)


def _self_or_admin(practitioner_id) -> None:
    principal = current_principal()
    if principal.practitioner_id != practitioner_id and not principal.has_any("admin"):
        raise ForbiddenError("You may only see and change your own preferences.")


@blp.route("/practitioners/<uuid:practitioner_id>")
class StaffPreferences(MethodView):
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="getPractitionerPreferences")
    @blp.response(200, StaffPreferencesSchema, example=STAFF_PREFERENCES)
    def get(self, practitioner_id):
        """Read a practitioner's preferences

        Their own, or anyone's for admins."""
        _self_or_admin(practitioner_id)
        return _answer(preferences.load(request_session(), PRACTITIONER, practitioner_id), StaffPreferencesSchema)

    @require_roles(*STAFF_ROLES)
    @documented_if_match
    @blp.doc(operationId="replacePractitionerPreferences")
    @blp.arguments(StaffPreferencesSchema, example=NEW_STAFF_PREFERENCES)
    @blp.response(200, StaffPreferencesSchema, example=STAFF_PREFERENCES)
    def put(self, data, practitioner_id):
        """Replace a practitioner's preferences"""
        _self_or_admin(practitioner_id)
        view = preferences.load(request_session(), PRACTITIONER, practitioner_id)
        return _change(view, data, StaffPreferencesSchema)


@blp.route("/patients/<uuid:patient_id>")
class PatientPreferences(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="getPatientPreferences")
    @blp.response(200, PreferencesSchema, example=PATIENT_PREFERENCES)
    def get(self, patient_id):
        """Read a patient's preferences"""
        patient_access(patient_id, action="read", resource_type=RESOURCE, resource_id=patient_id)
        return _answer(preferences.load(request_session(), PATIENT, patient_id), PreferencesSchema)

    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @documented_if_match
    @blp.doc(operationId="replacePatientPreferences")
    @blp.arguments(PreferencesSchema, example=NEW_PERSON_PREFERENCES)
    @blp.response(200, PreferencesSchema, example=PATIENT_PREFERENCES)
    def put(self, data, patient_id):
        """Replace a patient's preferences"""
        patient_access(patient_id, action="update", resource_type=RESOURCE, resource_id=patient_id)
        return _change(preferences.load(request_session(), PATIENT, patient_id), data, PreferencesSchema)


@blp.route("/related-persons/<uuid:related_person_id>")
class RelatedPersonPreferences(MethodView):
    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @blp.doc(operationId="getRelatedPersonPreferences")
    @blp.response(200, PreferencesSchema, example=RELATED_PERSON_PREFERENCES)
    def get(self, related_person_id):
        """Read a related person's preferences"""
        view = preferences.load(request_session(), RELATED_PERSON, related_person_id)
        patient_access(view.patient_id, action="read", resource_type=RESOURCE, resource_id=related_person_id)
        return _answer(view, PreferencesSchema)

    @patient_scoped
    @require_roles(*STAFF_ROLES)
    @documented_if_match
    @blp.doc(operationId="replaceRelatedPersonPreferences")
    @blp.arguments(PreferencesSchema, example=NEW_PERSON_PREFERENCES)
    @blp.response(200, PreferencesSchema, example=RELATED_PERSON_PREFERENCES)
    def put(self, data, related_person_id):
        """Replace a related person's preferences"""
        view = preferences.load(request_session(), RELATED_PERSON, related_person_id)
        patient_access(view.patient_id, action="update", resource_type=RESOURCE, resource_id=related_person_id)
        return _change(view, data, PreferencesSchema)
