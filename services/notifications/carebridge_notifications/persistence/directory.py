"""Who the audiences of a routing rule are, for one event: a handful of
queries per event, each asked at most once, whatever the team size.

Care teams come from the kit's access projection (`access_care_teams*`,
kept from `patients.care-team-changed`, newer revisions only): the same
membership, with its periods, that decides who may read the patient's data.
People come with the preferences stored for them (one query per kind).
"""
from __future__ import annotations

import uuid
from datetime import datetime
from functools import cached_property

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from carebridge.db.kit_tables import access_care_team_members as members
from carebridge.db.kit_tables import access_care_teams as teams

from .preferences import Preference
from .recipients import PatientRecipient, PractitionerRecipient, RelatedPersonRecipient

NURSE = "nurse"


def _with_preference(model, recipient_type: str, key):
    return select(model, Preference).outerjoin(Preference, and_(Preference.recipient_type == recipient_type,
                                                                Preference.recipient_id == key))


class Directory:
    def __init__(self, session: Session, *, patient_id: uuid.UUID | None, care_team_id: uuid.UUID | None,
                 at: datetime):
        self.session = session
        self.patient_id = patient_id
        self.care_team_id = care_team_id
        self.at = at

    @cached_property
    def _team_rows(self) -> list:
        """(care_team_id, lead_coordinator_id, practitioner_id, role) of the
        event's care team if it names one, else of every active team of the
        patient; members only if their period covers the event's time."""
        if self.care_team_id is not None:
            which = teams.c.care_team_id == self.care_team_id
        elif self.patient_id is not None:
            which = teams.c.patient_id == self.patient_id
        else:
            return []
        member_then = and_(members.c.care_team_id == teams.c.care_team_id, members.c.period_start <= self.at,
                           or_(members.c.period_end.is_(None), members.c.period_end > self.at))
        return self.session.execute(
            select(teams.c.care_team_id, teams.c.lead_coordinator_id, members.c.practitioner_id, members.c.role)
            .select_from(teams.outerjoin(members, member_then))
            .where(which, teams.c.status == "active")).all()

    @property
    def members_then(self) -> list:
        return [row for row in self._team_rows if row.practitioner_id is not None]

    def care_team(self) -> list[uuid.UUID]:
        return [member.practitioner_id for member in self.members_then]

    def team_nurses(self) -> list[uuid.UUID]:
        return [member.practitioner_id for member in self.members_then if member.role == NURSE]

    def lead_coordinators(self) -> list[uuid.UUID]:
        return list(dict.fromkeys(row.lead_coordinator_id for row in self._team_rows if row.lead_coordinator_id))

    def billing_staff(self) -> list[uuid.UUID]:
        return list(self.session.scalars(select(PractitionerRecipient.practitioner_id).where(
            PractitionerRecipient.role == "billing", PractitionerRecipient.active.is_(True))))

    @cached_property
    def patient_and_preference(self) -> tuple[PatientRecipient | None, Preference | None]:
        if self.patient_id is None:
            return None, None
        row = self.session.execute(_with_preference(PatientRecipient, "patient", PatientRecipient.patient_id)
                                   .where(PatientRecipient.patient_id == self.patient_id)).first()
        return (row[0], row[1]) if row else (None, None)

    @property
    def patient(self) -> PatientRecipient | None:
        return self.patient_and_preference[0]

    @cached_property
    def related_persons_and_preferences(self) -> list[tuple[RelatedPersonRecipient, Preference | None]]:
        if self.patient_id is None:
            return []
        return [(row[0], row[1]) for row in self.session.execute(
            _with_preference(RelatedPersonRecipient, "related-person", RelatedPersonRecipient.related_person_id)
            .where(RelatedPersonRecipient.patient_id == self.patient_id))]

    @property
    def related_persons(self) -> list[RelatedPersonRecipient]:
        return [person for person, _preference in self.related_persons_and_preferences]

    def consenting_family(self, category: str) -> list[RelatedPersonRecipient]:
        return [person for person in self.related_persons if person.consents_to(category)]

    def practitioners(self, ids) -> dict[uuid.UUID, tuple[PractitionerRecipient, Preference | None]]:
        ids = set(ids)
        if not ids:
            return {}
        return {row[0].practitioner_id: (row[0], row[1]) for row in self.session.execute(
            _with_preference(PractitionerRecipient, "practitioner", PractitionerRecipient.practitioner_id)
            .where(PractitionerRecipient.practitioner_id.in_(ids)))}
