"""The events the patients service reacts to: one line per event type and version."""
from carebridge.subscriptions import EventSubscriptions

# None: this service is where patients, staff and care teams come from. It
# writes the care-team access projection itself, in the transaction of each
# care-team change (service_layer/care_teams.py), instead of consuming its own
# `patients.care-team-changed`.
subscriptions = EventSubscriptions()
