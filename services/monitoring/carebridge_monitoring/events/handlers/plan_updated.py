from ...service_layer import plan_limits


def apply_plan_limits(session, event):
    """A care plan's monitoring activities set the limits of the patient's
    active enrolments for their measures (newer plan versions win)."""
    plan_limits.apply_plan_limits(session, event.data)
