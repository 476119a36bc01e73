"""Practitioner schedules and slots, conflict-free booking, recurring visits, no-shows, reminders and the waitlist."""
