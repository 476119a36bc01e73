"""Starting a patient's plan from a template."""
from __future__ import annotations

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.errors import NotFoundError, RuleViolation

from ..reference.plan_templates import PlanTemplate, plan_templates
from .actors import Actor
from .plans import create_plan


def find_template(code: str) -> PlanTemplate:
    template = plan_templates().get(code)
    if template is None:
        raise NotFoundError("No such plan template.")
    return template


def instantiate(session: Session, data: dict, actor: Actor):
    """A new draft plan from the template, with the activities the
    coordinator left out omitted. It goes through the same checks as any new
    plan, medication safety included, and stays a draft until a clinician
    has tailored and activated it."""
    template = plan_templates().get(data["template_code"])
    if template is None:
        raise RuleViolation("No such plan template.", errors={"template_code": ["unknown template"]})
    leave_out = frozenset(data.get("leave_out") or ())
    unknown = sorted(leave_out - set(template.activity_keys))
    if unknown:
        raise RuleViolation("Some activities to leave out are not in the template.",
                            errors={"leave_out": [f"not in this template: {', '.join(unknown)}"]})
    start = data.get("start_date") or clock.now().date()
    plan_input = template.plan_input(start, leave_out)
    plan_input.update({key: data[key] for key in ("patient_id", "care_team_id", "contacts", "medication_override")
                       if data.get(key) is not None})
    plan_input["status"] = "draft"
    return create_plan(session, plan_input, actor, reason=f"Created from template {template.code} {template.version}",
                       template=(template.code, template.version))
