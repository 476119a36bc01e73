"""HTTP endpoints of the careplans service."""
from ..reference.plan_templates import plan_templates
from . import (adherence, care_plans, check_ins, fhir, hospital_stays, medication_alerts, plan_history,
               plan_summaries, reference_data, tasks)


def register_api(api) -> None:
    """Register every blueprint of this service on the flask-smorest Api.

    The reference data (templates, and through them the drug catalogue
    checked against the kit's drug classes) is loaded here, so a broken or
    out-of-step file stops the service at start-up instead of failing a
    request."""
    plan_templates()
    for blueprint in (care_plans.blp, plan_history.blp, plan_summaries.blp, reference_data.templates_blp,
                      reference_data.interactions_blp, medication_alerts.blp, tasks.blp, adherence.blp,
                      check_ins.blp, hospital_stays.blp, fhir.blp):
        api.register_blueprint(blueprint)
