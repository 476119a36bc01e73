"""Who may use the parts of the API that no role group of the kit
(`carebridge.auth.roles`) describes; staff endpoints use its STAFF_ROLES."""

# Operations on the delivery queue.
OPERATIONS = ("coordinator", "admin")
# Configuring integrations (no other service calls these operations).
INTEGRATORS = ("admin",)
