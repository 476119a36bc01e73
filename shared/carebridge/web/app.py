"""The Flask app factory shared by every service (flaskr's `create_app`,
once, for all five)."""
from __future__ import annotations

import dataclasses
import types

from flask import Flask

from ..config import Settings
from ..fhir.outcome import register_fhir_hooks
from ..service import Runtime, ServiceDefinition
from .api import Api, RequireOperationIds, StandardErrorResponses, api_config
from .audit_api import audit_endpoints
from .discovery import discovery
from .docs import blueprint as docs_blueprint
from .guards import register_absence_concealment
from .health import probes
from .hooks import register_request_hooks
from .input_rules import strict_iso_dates
from .problems import register_problem_handlers
from .session import register_session_hooks

_SETTING_NAMES = {f.name for f in dataclasses.fields(Settings)}
MAX_REQUEST_BYTES = 1 * 1024 * 1024


class KitFlask(Flask):
    """Flask, remembering which functions need no async wrapper.

    Flask asks `inspect.iscoroutinefunction` of every request hook and view
    on every request (18 times for a patient read, some 5% of its CPU);
    the answer for a plain function never changes, so it is kept per
    function. Bound methods (a MethodView's handler, a new object each
    request) are still asked each time, as are async functions, which Flask
    wraps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plain_functions: set = set()

    def ensure_sync(self, func):
        if func in self._plain_functions:
            return func
        wrapped = super().ensure_sync(func)
        # Bounded, should a caller ever pass a function made per request.
        if wrapped is func and isinstance(func, types.FunctionType) and len(self._plain_functions) < 4096:
            self._plain_functions.add(func)
        return wrapped


def create_app(service: ServiceDefinition, test_config: dict | None = None) -> Flask:
    """Build the service's app. `test_config` may hold `runtime` (a ready
    Runtime), `settings`, any Settings field (for example `database_url`),
    and plain Flask config keys."""
    config = dict(test_config or {})
    runtime = config.pop("runtime", None)
    if runtime is None:
        settings = config.pop("settings", None) or Settings.from_env(service.name)
        overrides = {k: config.pop(k) for k in list(config) if k in _SETTING_NAMES}
        runtime = Runtime(service, settings.with_overrides(**overrides) if overrides else settings)

    strict_iso_dates()  # every schema reads only extended ISO 8601 dates (input_rules.py)
    app = KitFlask(service.package)
    app.config.update(api_config(service.title, service.version, service.description))
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config.update(config)
    app.extensions["carebridge"] = runtime

    register_request_hooks(app)
    api = Api(app, spec_kwargs={"extra_plugins": [StandardErrorResponses(), RequireOperationIds()]})
    # After Api: our HTTPException handler replaces flask-smorest's JSON one.
    register_problem_handlers(app)
    # Under /fhir/: FHIR JSON, and errors as OperationOutcome.
    register_fhir_hooks(app)
    register_absence_concealment(app)
    api.register_blueprint(probes(service.name))
    api.register_blueprint(audit_endpoints(service.name))
    api.register_blueprint(discovery(service.name))
    app.register_blueprint(docs_blueprint)
    service.register_api(api)
    if service.register_pages is not None:
        service.register_pages(app)
    # Last, so that its after_request (commit or roll back) runs before the
    # others see the final status.
    register_session_hooks(app)
    return app
