"""Who may use which part of the API."""

# Staff with a directory id: they have an inbox and preferences.
STAFF = ("coordinator", "nurse", "physician", "specialist", "billing", "admin")
# Operations on the delivery queue.
OPERATIONS = ("coordinator", "admin")
# Configuring integrations.
INTEGRATORS = ("admin", "service")
