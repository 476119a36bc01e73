"""A billing issue was opened: the billing staff hear."""
from ...service_layer.fan_out import fan_out_many
from ..subscriptions import subscriptions


@subscriptions.handler("billing.issue-opened", version=1, batch=True)
def tell_billing_issue_opened(session, events):
    fan_out_many(session, events)
