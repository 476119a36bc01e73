"""Who hears what, on which channel, exactly once: inbox, email, SMS, webhooks, preferences and escalation."""
