"""The coordinator console: the care team's web application.

Pages rendered on the server (Flask, Jinja2) with htmx for partial updates.
It keeps no clinical data: every read and write goes through
`carebridge-client` (see `gateway.py`) with the signed-in person's token.
The application factory is `carebridge_console.app.create_app`; the package
imports nothing itself, so that the views may import their siblings.
"""
