"""The gateway's calls as the signed-in person, for every page."""
from flask import current_app, g

from .. import auth


def services():
    """The gateway's calls as the signed-in person (one client per request)."""
    if "services" not in g:
        g.services = current_app.extensions["carebridge_gateway"].as_token(auth.access_token())
    return g.services
