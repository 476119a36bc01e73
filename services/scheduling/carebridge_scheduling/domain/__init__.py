"""Scheduling rules as plain Python: no Flask, no SQLAlchemy sessions."""
