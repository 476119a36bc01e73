"""The monitoring service: remote patient monitoring and telephone triage."""
