"""A care plan changed: its care team hears; the patient and consenting family too when it concerns them."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("careplans.plan-updated", version=1, batch=True)
def tell_team_about_plan_change(session, events):
    fan_out_many(session, events)
