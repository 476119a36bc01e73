"""The coordinator console: the care team's web application.

Pages rendered on the server (Flask, Jinja2) with htmx for partial updates.
It keeps no clinical data: every read and write goes through
`carebridge-client` (see `gateway.py`) with the signed-in person's token.
"""
from .app import create_app

__all__ = ["create_app"]
