"""Message templates, one JSON file per language (see domain/templates.py)."""
