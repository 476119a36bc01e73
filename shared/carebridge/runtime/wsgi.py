"""WSGI entry point for gunicorn (real mode):

    gunicorn -c deploy/gunicorn.conf.py 'carebridge.runtime.wsgi:application("patients")'

or, with SERVICE_NAME=patients in the environment, `carebridge.runtime.wsgi:app`.
"""
from __future__ import annotations

import os

from .. import clock, logs
from ..config import Settings
from ..web import create_app
from .discovery import load_service


def application(service_name: str):
    service = load_service(service_name)
    settings = Settings.from_env(service.name)
    logs.configure(service.name, settings.log_level, settings.log_json)
    clock.configure(settings.clock)
    return create_app(service, {"settings": settings})


def __getattr__(name: str):
    # `wsgi:app` builds the app named by SERVICE_NAME only when asked for.
    if name == "app":
        return application(os.environ["SERVICE_NAME"])
    raise AttributeError(name)
