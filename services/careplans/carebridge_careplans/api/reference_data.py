"""/plan-templates and /interactions: read-only reference data (no patient
data, so any signed-in user may read it)."""
from __future__ import annotations

from flask.views import MethodView

from carebridge.web import Blueprint, page_from_list, paged

from ..reference.medicines import medication_knowledge
from ..reference.plan_templates import plan_templates
from ..service_layer.templates import find_template
from .schemas.reference import InteractionListArgs, InteractionSchema, TemplateSchema, TemplateSummarySchema

templates_blp = Blueprint("plan-templates", __name__, url_prefix="/plan-templates",
                          description="Care plan templates a coordinator starts a patient's plan from.")
interactions_blp = Blueprint("interactions", __name__, url_prefix="/interactions",
                             description="The curated drug-drug interaction table the safety check uses.")


def _template_view(template) -> dict:
    return {**template.raw, "activity_keys": template.activity_keys}


@templates_blp.route("")
class PlanTemplates(MethodView):
    @templates_blp.doc(operationId="listPlanTemplates")
    @templates_blp.response(200, TemplateSummarySchema(many=True))
    def get(self):
        """List the care plan templates"""
        return [_template_view(t) for t in plan_templates().values()]


@templates_blp.route("/<string:code>")
class PlanTemplateByCode(MethodView):
    @templates_blp.doc(operationId="getPlanTemplate")
    @templates_blp.response(200, TemplateSchema)
    def get(self, code):
        """Read a care plan template

        Its goals and activities, timed in days from the plan's start."""
        return _template_view(find_template(code))


def _interaction_view(knowledge, interaction) -> dict:
    return {
        "id": interaction.id, "severity": interaction.severity,
        "drugs": [[{"rxnorm_code": c, "name": knowledge.name_of(c)} for c in sorted(side, key=knowledge.name_of)]
                  for side in (interaction.left, interaction.right)],
        "mechanism": interaction.mechanism, "management": interaction.management,
        "sources": [knowledge.sources[s] for s in interaction.sources],
    }


@interactions_blp.route("")
class Interactions(MethodView):
    @interactions_blp.doc(operationId="listDrugInteractions")
    @interactions_blp.arguments(InteractionListArgs, location="query")
    @interactions_blp.response(200, paged(InteractionSchema))
    def get(self, args):
        """List drug interactions

        The interaction table, filtered by a drug (an ingredient, or a product's ingredients) or by
        severity."""
        knowledge = medication_knowledge()
        found = knowledge.interactions
        if args.get("rxnorm_code"):
            ingredients = knowledge.ingredients_of(args["rxnorm_code"]) or {args["rxnorm_code"]}
            found = [i for i in found if ingredients & (i.left | i.right)]
        if args.get("severity"):
            found = [i for i in found if i.severity in args["severity"]]
        return page_from_list([_interaction_view(knowledge, i) for i in found], args)
