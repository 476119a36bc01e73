"""scheduling.appointment-completed: the charge at the fee schedule's price,
the authorization unit the visit uses, and a draft claim against the
primary coverage in effect on the service date. A repeated completion
charges once."""
from carebridge.bus import PermanentFailure
from carebridge.service import Runtime

from ...service_layer.visits import UnpricedService, visit_completed


def charge_visit(session, event):
    data = event.data
    try:
        visit_completed(session, appointment_id=data["appointment_id"], patient_id=data["patient_id"],
                        service_code=data["service_code"], appointment_type_code=data["appointment_type_code"],
                        on=data["start"].date(), settings=Runtime.of(session).service_settings)
    except UnpricedService as error:
        # No retry can price it: dead-letter it, to be replayed once the fee
        # schedule has the code.
        raise PermanentFailure(str(error), code="unpriced-service") from None
