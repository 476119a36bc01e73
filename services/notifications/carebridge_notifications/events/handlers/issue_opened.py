"""A billing issue was opened: the billing staff hear."""
from ...service_layer.fan_out import fan_out
from ..subscriptions import subscriptions


@subscriptions.handler("billing.issue-opened", version=1)
def tell_billing_issue_opened(session, event):
    fan_out(session, event)
