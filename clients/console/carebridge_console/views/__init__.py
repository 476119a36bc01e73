"""The console's pages, one blueprint per area."""
from flask import current_app

from .. import auth


def register(app) -> None:
    from . import day, live, patients, plans, scheduling, costs
    for module in (day, live, patients, plans, scheduling, costs):
        app.register_blueprint(module.blp)

    @app.context_processor
    def _people():
        return {"user": auth.current_user()}

    @app.errorhandler(auth.SignInNeeded)
    def _sign_in_needed(error):
        from flask import redirect, session, url_for
        current_app.session_interface.end(session)
        return redirect(url_for("sign_in"))
