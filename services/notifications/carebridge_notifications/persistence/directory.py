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
from typing import NamedTuple

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from carebridge.db.kit_tables import access_care_team_members as members
from carebridge.db.kit_tables import access_care_teams as teams

from .duty_rota import on_duty
from .preferences import Preference
from .recipients import PatientRecipient, PractitionerRecipient, RelatedPersonRecipient, StaffInTraining

NURSE = "nurse"


def _with_preference(model, recipient_type: str, key):
    return select(model, Preference).outerjoin(Preference, and_(Preference.recipient_type == recipient_type,
                                                                Preference.recipient_id == key))


class DirectoryReads:
    """The directory's answers, asked once and shared by the Directories of
    several events applied together (a run of one event type in one consumer
    transaction: nothing changes the directory between them). Care teams are
    read with all their memberships; each Directory picks the members whose
    period covers its own moment."""

    def __init__(self, session: Session):
        self.session = session
        self._teams: dict[tuple[str, uuid.UUID], list] = {}
        self._staff: dict[uuid.UUID, tuple[PractitionerRecipient, Preference | None] | None] = {}
        self._patients: dict[uuid.UUID, tuple[PatientRecipient | None, Preference | None]] = {}
        self._relatives: dict[uuid.UUID, list] = {}
        self._billing: list[uuid.UUID] | None = None
        # How to reach each person (service_layer.reachability), built once.
        self.reachability: dict = {}

    def team_rows(self, *, care_team_id: uuid.UUID | None, patient_id: uuid.UUID | None) -> list:
        """(care_team_id, lead_coordinator_id, practitioner_id, role,
        period_start, period_end) of every membership of the care team if one
        is named, else of every active team of the patient. A named team is
        taken only if it is the patient's: an event naming another patient's
        team (or one not known here) reaches the patient's own teams."""
        if care_team_id is not None and patient_id is not None:
            rows = self._rows(("team", care_team_id, patient_id),
                              lambda: (teams.c.care_team_id == care_team_id) & (teams.c.patient_id == patient_id))
            return rows or self.team_rows(care_team_id=None, patient_id=patient_id)
        if care_team_id is not None:
            return self._rows(("team", care_team_id), lambda: teams.c.care_team_id == care_team_id)
        if patient_id is not None:
            return self._rows(("patient", patient_id), lambda: teams.c.patient_id == patient_id)
        return []

    def _rows(self, key, which) -> list:
        """`which()` builds the WHERE clause, only when the rows are not known
        yet: building it cost more than the whole lookup for the events of a
        burst after the first."""
        if key not in self._teams:
            self._teams[key] = self.session.execute(
                select(teams.c.care_team_id, teams.c.lead_coordinator_id, members.c.practitioner_id,
                       members.c.role, members.c.period_start, members.c.period_end)
                .select_from(teams.outerjoin(members, members.c.care_team_id == teams.c.care_team_id))
                .where(which(), teams.c.status == "active")).all()
        return self._teams[key]

    def billing_staff(self) -> list[uuid.UUID]:
        if self._billing is None:
            self._billing = list(self.session.scalars(select(PractitionerRecipient.practitioner_id).where(
                PractitionerRecipient.role == "billing", PractitionerRecipient.active.is_(True))))
        return self._billing

    def patient_and_preference(self, patient_id: uuid.UUID) -> tuple[PatientRecipient | None, Preference | None]:
        if patient_id not in self._patients:
            row = self.session.execute(_with_preference(PatientRecipient, "patient", PatientRecipient.patient_id)
                                       .where(PatientRecipient.patient_id == patient_id)).first()
            self._patients[patient_id] = (row[0], row[1]) if row else (None, None)
        return self._patients[patient_id]

    def related_persons_and_preferences(self, patient_id: uuid.UUID) -> list:
        if patient_id not in self._relatives:
            self._relatives[patient_id] = [(row[0], row[1]) for row in self.session.execute(
                _with_preference(RelatedPersonRecipient, "related-person", RelatedPersonRecipient.related_person_id)
                .where(RelatedPersonRecipient.patient_id == patient_id))]
        return self._relatives[patient_id]

    def practitioners(self, ids) -> dict[uuid.UUID, tuple[PractitionerRecipient, Preference | None]]:
        ids = set(ids)
        missing = ids - self._staff.keys()
        if missing:
            found = {row[0].practitioner_id: (row[0], row[1]) for row in self.session.execute(
                _with_preference(PractitionerRecipient, "practitioner", PractitionerRecipient.practitioner_id)
                .where(PractitionerRecipient.practitioner_id.in_(missing)))}
            for practitioner_id in missing:
                self._staff[practitioner_id] = found.get(practitioner_id)
        return {i: self._staff[i] for i in ids if self._staff[i] is not None}


class Directory:
    def __init__(self, session: Session, *, patient_id: uuid.UUID | None, care_team_id: uuid.UUID | None,
                 at: datetime, reads: DirectoryReads | None = None):
        self.session = session
        self.patient_id = patient_id
        self.care_team_id = care_team_id
        self.at = at
        self.reads = reads or DirectoryReads(session)

    @cached_property
    def _team_rows(self) -> list:
        """(care_team_id, lead_coordinator_id, practitioner_id, role) of the
        event's care team if it names one, else of every active team of the
        patient; members only if their period covers the event's time (a team
        without such members still gives one row, for its lead)."""
        rows, teams_seen = [], {}
        for row in self.reads.team_rows(care_team_id=self.care_team_id, patient_id=self.patient_id):
            teams_seen.setdefault(row.care_team_id, row.lead_coordinator_id)
            if row.practitioner_id is not None and row.period_start <= self.at and (
                    row.period_end is None or row.period_end > self.at):
                rows.append(_TeamRow(row.care_team_id, row.lead_coordinator_id, row.practitioner_id, row.role))
        with_members = {row.care_team_id for row in rows}
        rows += [_TeamRow(team, lead, None, None) for team, lead in teams_seen.items() if team not in with_members]
        return rows

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
        return list(self.reads.billing_staff())

    def team_by_role(self) -> list[uuid.UUID]:
        """The lead coordinator, then the members by role (coordinators,
        nurses, physicians, specialists, the rest)."""
        order = {"coordinator": 0, "nurse": 1, "physician": 2, "specialist": 3}
        members = sorted(self.members_then, key=lambda m: (order.get(m.role, 9), str(m.practitioner_id)))
        return list(dict.fromkeys([*self.lead_coordinators(), *(m.practitioner_id for m in members)]))

    def on_duty(self, duty: str) -> list[uuid.UUID]:
        return on_duty(self.session, duty, self.at)

    @property
    def team_id(self) -> uuid.UUID | None:
        """The care team the event names, else the patient's team with a
        lead coordinator (the first by id), else any of the patient's teams."""
        if self.care_team_id is not None:
            return self.care_team_id
        teams = sorted({(row.lead_coordinator_id is None, str(row.care_team_id)): row.care_team_id
                        for row in self._team_rows}.items())
        return teams[0][1] if teams else None

    @property
    def patient_and_preference(self) -> tuple[PatientRecipient | None, Preference | None]:
        if self.patient_id is None:
            return None, None
        return self.reads.patient_and_preference(self.patient_id)

    @property
    def patient(self) -> PatientRecipient | None:
        return self.patient_and_preference[0]

    @property
    def related_persons_and_preferences(self) -> list[tuple[RelatedPersonRecipient, Preference | None]]:
        if self.patient_id is None:
            return []
        return self.reads.related_persons_and_preferences(self.patient_id)

    @property
    def related_persons(self) -> list[RelatedPersonRecipient]:
        return [person for person, _preference in self.related_persons_and_preferences]

    def consenting_family(self, category: str) -> list[RelatedPersonRecipient]:
        return [person for person in self.related_persons if person.consents_to(category)]

    def practitioners(self, ids) -> dict[uuid.UUID, tuple[PractitionerRecipient, Preference | None]]:
        return self.reads.practitioners(ids)

    def in_training(self, ids) -> set[uuid.UUID]:
        """Those of `ids` in training now: escalations pass them by."""
        ids = set(ids)
        if not ids:
            return set()
        return set(self.session.scalars(select(StaffInTraining.practitioner_id).where(
            StaffInTraining.practitioner_id.in_(ids), StaffInTraining.in_training.is_(True))))


class _TeamRow(NamedTuple):
    care_team_id: uuid.UUID
    lead_coordinator_id: uuid.UUID | None
    practitioner_id: uuid.UUID | None
    role: str | None
