"""The runtime of the service answering the current request (the kit's app
factory puts it on the Flask app)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from ..service import Runtime


def current_runtime() -> "Runtime":
    return current_app.extensions["carebridge"]
