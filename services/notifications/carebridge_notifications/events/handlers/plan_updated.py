"""A care plan changed: its care team hears; the patient and consenting family too when it concerns them."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("careplans.plan-updated", version=1)
def tell_team_about_plan_change(session, event):
    fan_out(session, event)
