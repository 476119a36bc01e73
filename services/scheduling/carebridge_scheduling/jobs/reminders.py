from carebridge.jobs import PeriodicJob, sweep

from ..service_layer.sweeps import send_reminders

# appointment-reminder-due, once per appointment, offset and start.
APPOINTMENT_REMINDERS = PeriodicJob("send-appointment-reminders", every=30,
                                    run=sweep(send_reminders, done="published appointment reminders"))
