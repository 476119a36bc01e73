"""Serves Swagger UI's files from the swagger-ui-bundle package, so the
interactive docs at /docs work without reaching any CDN."""
from __future__ import annotations

from flask import Blueprint, send_from_directory
from swagger_ui_bundle import swagger_ui_path

blueprint = Blueprint("docs_static", __name__)


@blueprint.route("/docs/static/<path:filename>")
def swagger_ui_file(filename: str):
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)
