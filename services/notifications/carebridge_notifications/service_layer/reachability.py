"""How to reach each person: the directory's records combined with the
preferences kept here, as the domain's `Reachability`."""
from __future__ import annotations

import uuid

from ..domain.channel_choice import Reachability, channels_from_preferred
from ..domain.quiet_hours import QuietHours
from ..domain.routing import Target
from ..domain.vocabulary import PATIENT, PRACTITIONER, RELATED_PERSON
from ..persistence.directory import Directory
from ..persistence.preferences import Preference
from ..persistence.recipients import PatientRecipient, PractitionerRecipient, RelatedPersonRecipient

DECEASED = "deceased"


def _quiet_hours(preference: Preference | None, start: str | None, end: str | None, time_zone: str | None):
    if preference is not None and preference.quiet_hours_start:
        start, end = preference.quiet_hours_start, preference.quiet_hours_end
    return QuietHours.from_strings(start, end, time_zone)


def _chosen(preference: Preference | None) -> dict:
    if preference is None:
        return {"opted_out": False, "category_channels": {}}
    return {"opted_out": preference.opted_out,
            "category_channels": {k: tuple(v) for k, v in (preference.channels or {}).items()}}


def practitioner_reachability(practitioner_id: uuid.UUID, row: PractitionerRecipient | None,
                              preference: Preference | None) -> Reachability | None:
    """None for someone who left (inactive in the staff directory). Someone
    the directory has not told us about yet still gets their inbox."""
    if row is not None and not row.active:
        return None
    time_zone = row.time_zone if row else "UTC"
    return Reachability(
        PRACTITIONER, practitioner_id,
        language=row.language if row else "en", time_zone=time_zone,
        email=row.email if row else None, sms_number=row.sms_number if row else None,
        sms_consent=bool(preference and preference.sms_consent),
        quiet_hours=_quiet_hours(preference, None, None, time_zone), **_chosen(preference))


def patient_reachability(patient_id: uuid.UUID, row: PatientRecipient | None,
                         preference: Preference | None) -> Reachability | None:
    if row is None:
        # Registered in the patients service but not yet heard of here: the
        # portal inbox still gets it; email and SMS need the contact points.
        return Reachability(PATIENT, patient_id, **_chosen(preference))
    if row.status == DECEASED:
        return None
    return Reachability(
        PATIENT, patient_id, language=row.language, time_zone=row.time_zone or "UTC",
        email=row.email, sms_number=row.sms_number, sms_consent=row.sms_consent,
        default_channels=channels_from_preferred(row.preferred_channel),
        quiet_hours=_quiet_hours(preference, row.quiet_hours_start, row.quiet_hours_end, row.time_zone),
        **_chosen(preference))


def related_person_reachability(row: RelatedPersonRecipient, patient: PatientRecipient | None,
                                preference: Preference | None) -> Reachability:
    time_zone = row.time_zone or (patient.time_zone if patient else None) or "UTC"
    return Reachability(
        RELATED_PERSON, row.related_person_id, language=row.language, time_zone=time_zone,
        email=row.email, sms_number=row.sms_number, sms_consent=row.sms_consent,
        default_channels=channels_from_preferred(row.preferred_channel),
        quiet_hours=_quiet_hours(preference, row.quiet_hours_start, row.quiet_hours_end, time_zone),
        **_chosen(preference))


def reachability_of(directory: Directory, targets: list[Target]) -> dict[tuple[str, uuid.UUID], Reachability | None]:
    """How to reach each target (None: must not be told); only the kinds of
    people among the targets are looked up, and each person once for all the
    events that share the directory's reads."""
    known = directory.reads.reachability
    wanted = [t for t in targets if (t.recipient_type, t.recipient_id) not in known]
    if wanted:
        kinds = {t.recipient_type for t in wanted}
        staff = directory.practitioners(t.recipient_id for t in wanted if t.recipient_type == PRACTITIONER)
        relatives = {person.related_person_id: (person, preference)
                     for person, preference in directory.related_persons_and_preferences} \
            if RELATED_PERSON in kinds else {}
        patient, patient_preference = directory.patient_and_preference if PATIENT in kinds else (None, None)
        for target in wanted:
            key = (target.recipient_type, target.recipient_id)
            if target.recipient_type == PRACTITIONER:
                row, preference = staff.get(target.recipient_id, (None, None))
                known[key] = practitioner_reachability(target.recipient_id, row, preference)
            elif target.recipient_type == PATIENT:
                known[key] = patient_reachability(target.recipient_id, patient, patient_preference)
            else:
                person, preference = relatives[target.recipient_id]
                known[key] = related_person_reachability(person, directory.patient, preference)
    return {(t.recipient_type, t.recipient_id): known[(t.recipient_type, t.recipient_id)] for t in targets}
