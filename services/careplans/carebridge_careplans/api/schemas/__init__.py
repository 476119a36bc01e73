"""Marshmallow schemas of the HTTP API (request and response bodies)."""
