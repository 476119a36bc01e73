"""patients.care-team-changed (after the kit's access projection has been
updated by `apply_care_team_changed`): task owners follow the team, and
events parked for a patient not known until now are applied."""
from ...service_layer.care_team_changes import realign_task_owners
from ..parking import replay_parked


def keep_task_owners_current(session, event) -> None:
    realign_task_owners(session, event.data["patient_id"])
    replay_parked(session, event.data["patient_id"])
