"""Use cases: plain functions taking the session (no HTTP)."""
