"""Marshmallow schemas of the patients API (requests, answers, query strings)."""
