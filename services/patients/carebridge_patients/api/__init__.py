"""HTTP endpoints of the patients service."""
from . import (allergies, care_team_members, care_teams, charts, fhir, patients, practitioners, related_persons,
               training)


def register_api(api) -> None:
    """Register every blueprint of this service on the flask-smorest Api."""
    for module in (patients, charts, related_persons, allergies, care_teams, care_team_members, practitioners, training,
                   fhir):
        api.register_blueprint(module.blp)
