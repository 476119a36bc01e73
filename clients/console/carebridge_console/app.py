"""The console's application factory: settings, server-side sessions, CSRF,
security headers, sign-in, the pages, and errors shown as pages."""
from __future__ import annotations

import logging
import uuid

from flask import g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect

from . import auth, formatting, gateway, views
from .templating import ConsoleFlask
from .sessions import MemorySessionStore, ServerSessionInterface
from .settings import ConsoleSettings

log = logging.getLogger(__name__)

# No inline script or style anywhere: every script and stylesheet is a file
# served by the console itself. htmx is told not to add its indicator style
# (templates/base.html), and the live inbox connects back to the console.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'",
    "form-action 'self'", "frame-ancestors 'none'",
])


def content_security_policy(settings) -> str:
    """The policy, with the identity provider's origin among the form
    targets: signing in and out are forms whose answer redirects there, and
    browsers hold a form's redirects to form-action too."""
    if not settings.oidc_issuer:
        return CONTENT_SECURITY_POLICY
    from urllib.parse import urlsplit
    issuer = urlsplit(settings.oidc_issuer)
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'",
                                           f"form-action 'self' {issuer.scheme}://{issuer.netloc}")


def create_app(settings: ConsoleSettings | None = None, services: gateway.Gateway | None = None) -> ConsoleFlask:
    settings = settings or ConsoleSettings.from_env()
    app = ConsoleFlask(__name__)
    app.config.update(
        CONSOLE=settings,
        SECRET_KEY=settings.secret_key,
        WTF_CSRF_TIME_LIMIT=None,            # the token lives as long as the session
        WTF_CSRF_SSL_STRICT=settings.cookie_secure,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        MAX_CONTENT_LENGTH=1024 * 1024,
        TEMPLATES_AUTO_RELOAD=settings.development,
    )
    app.session_interface = ServerSessionInterface(MemorySessionStore(settings.session_idle_minutes * 60))
    app.extensions["carebridge_gateway"] = services or gateway.Gateway(settings)
    CSRFProtect(app)
    auth.init_app(app)
    formatting.register(app)
    views.register(app)

    @app.before_request
    def _request_id():
        g.request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())

    policy = content_security_policy(settings)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if settings.cookie_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_template("error.html", title="This form has expired",
                               message="The page was open too long or was opened in another session. "
                                       "Go back, reload the page and try again."), 400

    @app.errorhandler(gateway.ServiceUnavailable)
    def _unavailable(error):
        return render_template("error.html", title="A service did not answer",
                               message=str(error)), 503

    @app.errorhandler(gateway.NotFound)
    def _not_found(error):
        return render_template("error.html", title="Not found", message=str(error)), 404

    @app.errorhandler(gateway.Forbidden)
    def _forbidden(error):
        return render_template("error.html", title="Not allowed", message=str(error)), 403

    @app.errorhandler(gateway.ServiceError)
    def _service_error(error):
        return render_template("error.html", title="That did not work", message=str(error)), error.status or 400

    @app.errorhandler(404)
    def _page_not_found(error):
        return render_template("error.html", title="Page not found",
                               message="There is no page at this address."), 404

    @app.errorhandler(500)
    def _internal(error):
        log.exception("console error (request %s)", g.get("request_id"))
        return render_template("error.html", title="Something went wrong",
                               message=f"The console could not show this page. Reference: {g.get('request_id')}."), 500

    @app.get("/favicon.ico")
    def favicon():
        from flask import redirect, url_for
        return redirect(url_for("static", filename="favicon.svg"), 301)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
